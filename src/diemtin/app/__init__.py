"""Entry points: the ``diemtin`` command, the HTTP service and page, parallel/Dask runs."""
