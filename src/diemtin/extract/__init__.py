"""Extract stage: timeline, who's who (entities), quotes and figures into ``cluster.digest``.

Each part is its own module with one public ``extract_<part>(cluster)``; the pipeline declares
them as components (what each requires and assigns) and runs them, so there is no second
orchestrator here.
"""
