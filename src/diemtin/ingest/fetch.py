"""URLs -> :class:`Article`: download a page with hard limits and no way into the local network.

Every hop (the URL and each redirect) is parsed, its host resolved, and *every* resolved
address checked: loopback, private, link-local, shared, multicast, reserved and unspecified
addresses are refused, whatever the spelling (``2130706433``, ``127.1``, ``0x7f.1``,
``[::ffff:127.0.0.1]`` all resolve to a loopback address, which is what is checked). The
connection then goes to the checked IP itself (the original name travels in ``Host`` and
TLS SNI), so a second DNS answer cannot swap in another address (DNS rebinding).
Only http/https; no credentials in URLs; no proxies from the environment.

Every failure is an :class:`InputError` naming the URL, in Vietnamese (a person reads it).
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from diemtin.errors import InputError
from diemtin.ingest.encoding import decode_bytes, detect_encoding, normalize_text
from diemtin.model import Article

USER_AGENT = "diemtin/0.1 (+news digest; respects size and time limits)"
SCHEMES = ("http", "https")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# IPv6 prefixes that carry an IPv4 address inside: checked as that IPv4 address.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch (all hops together)."""

    timeout_s: float = 10.0  # the whole fetch: DNS, every hop, the body
    max_bytes: int = 5_000_000  # decoded body (a gzip bomb counts its inflated size)
    max_redirects: int = 5
    # Tests only: networks reachable although not public (e.g. ("127.0.0.2/32",)), so the
    # fetch path can be tested against a local server. Empty in every real configuration.
    allow_networks: tuple[str, ...] = ()

    def allows(self, ip: IPAddress) -> bool:
        return any(ip in ipaddress.ip_network(net) for net in self.allow_networks)


DEFAULT_POLICY = FetchPolicy()


# --------------------------------------------------------------------------- addresses


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client's address
    for net in _NAT64:
        if ip in net:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """A globally routable unicast address (what a news site has); IPv4 inside IPv6 unwrapped."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not is_public(inner):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_link_local)


@dataclass(frozen=True)
class Target:
    """One hop, checked: connect to ``ip``; send ``host_header``; verify TLS for ``hostname``."""

    url: str  # as the page knows itself (for relative redirects and Article.url)
    scheme: str
    hostname: str
    port: int
    ip: IPAddress
    host_header: str
    path: str  # path and query, as sent

    @property
    def connect_url(self) -> str:
        host = f"[{self.ip}]" if self.ip.version == 6 else str(self.ip)
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def _resolve(hostname: str, port: int, timeout: float) -> list[IPAddress]:
    """Every address ``hostname`` resolves to (an IP literal, in any spelling, included)."""
    try:
        return [ipaddress.ip_address(hostname)]
    except ValueError:
        pass
    pool = ThreadPoolExecutor(max_workers=1)  # getaddrinfo has no timeout of its own
    try:
        infos = pool.submit(socket.getaddrinfo, hostname, port, type=socket.SOCK_STREAM).result(timeout)
    finally:
        pool.shutdown(wait=False)
    out = []
    for family, *_rest, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            out.append(ipaddress.ip_address(sockaddr[0].split("%", 1)[0]))
    return out


def check_url(url: str, policy: FetchPolicy = DEFAULT_POLICY, timeout: float = 10.0) -> Target:
    """Parse, resolve and check one hop; raises :class:`InputError` unless it may be fetched."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise InputError(url, f"URL không hợp lệ ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise InputError(url, f"chỉ tải được địa chỉ http/https, không tải '{scheme or '?'}:'")
    if parts.username is not None or parts.password is not None:
        raise InputError(url, "URL có tên đăng nhập/mật khẩu: không tải")
    hostname = (parts.hostname or "").rstrip(".")
    if not hostname:
        raise InputError(url, "URL không có tên máy chủ")
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = _resolve(hostname, port, timeout)
    except FutureTimeout:
        raise InputError(url, f"không phân giải được tên miền {hostname} trong {timeout:g} giây") from None
    except (OSError, UnicodeError, ValueError) as e:
        raise InputError(url, f"không phân giải được tên miền {hostname} ({type(e).__name__})") from None
    if not addresses:
        raise InputError(url, f"tên miền {hostname} không có địa chỉ IP")
    refused = [ip for ip in addresses if not is_public(ip) and not policy.allows(ip)]
    if refused:
        # One private answer is enough to refuse: the name points into a local network.
        raise InputError(url, f"không tải địa chỉ nội bộ hoặc không công khai ({refused[0]})")
    default_port = parts.port is None or (scheme, port) in (("http", 80), ("https", 443))
    name = f"[{hostname}]" if ":" in hostname else hostname
    host_header = name if default_port else f"{name}:{port}"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(url, scheme, hostname, port, addresses[0], host_header, path)


# --------------------------------------------------------------------------- fetching


def _id_from_url(url: str) -> str:
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    if segments:
        stem = re.sub(r"\.(html?|php|aspx?|chn|htm|vn)$", "", segments[-1], flags=re.IGNORECASE)
        if stem:
            return stem[:80]
    return parts.hostname or "page"


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return m.group(1).lower() if m else None


def decode_html_bytes(data: bytes, declared: str | None, source: str) -> str:
    """Decode a page's bytes using the declared charset (header or <meta>) with care.

    Declarations lie often: pages typed in VNI/TCVN3 fonts are served as iso-8859-1, and
    UTF-8 pages as iso-8859-1 too. UTF-8 and the Vietnamese legacy encodings are detected
    from the bytes first; the declaration decides only what detection cannot.
    """
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "replace").lower() if m else None
    if declared in (None, "utf-8", "utf8"):
        return decode_bytes(data, source)
    try:
        encoding, text = detect_encoding(data, source)
    except InputError:
        encoding, text = "", ""
    if encoding.startswith(("UTF", "windows-1258", "TCVN3", "VNI")):
        return text
    try:
        return normalize_text(data.decode(declared))
    except LookupError:
        if text:
            return text
        raise InputError(source, f"không biết bảng mã {declared!r}") from None
    except UnicodeDecodeError as e:
        raise InputError(source, f"không giải mã được theo bảng mã {declared} (byte {e.start})") from e


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Certificate checks as httpx does them, the CA bundle loaded once per process."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def fetch_article(url: str, policy: FetchPolicy = DEFAULT_POLICY) -> Article:
    """Download ``url`` and extract its article. Every failure is an :class:`InputError`."""
    import httpx

    deadline = time.monotonic() + policy.timeout_s

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise InputError(url, f"quá thời gian tải ({policy.timeout_s:g} giây)")
        return left

    current = url
    target = check_url(url, policy, remaining())  # refused before any connection is set up
    # trust_env=False: no proxy or .netrc from the environment; the connection is ours.
    with httpx.Client(
        follow_redirects=False, trust_env=False, verify=_tls_context(), headers={"User-Agent": USER_AGENT}
    ) as client:
        for hop in range(policy.max_redirects + 1):
            if hop:
                try:
                    target = check_url(current, policy, remaining())
                except InputError as e:
                    raise InputError(url, f"chuyển hướng tới {current}: {e.message}") from None
            extensions: dict[str, Any] = {}
            if target.scheme == "https":
                extensions["sni_hostname"] = target.hostname  # SNI and certificate checked for the name
            try:
                with client.stream(
                    "GET",
                    target.connect_url,
                    headers={"Host": target.host_header},
                    extensions=extensions,
                    timeout=httpx.Timeout(remaining()),
                ) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(url, f"chuyển hướng không có Location (HTTP {response.status_code})")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        reason = response.reason_phrase or "error"
                        raise InputError(url, f"HTTP {response.status_code} {reason}")
                    content_type = response.headers.get("content-type", "")
                    data = _read_capped(response, url, policy.max_bytes, remaining)
            except httpx.TimeoutException as e:
                raise InputError(url, f"quá thời gian tải ({policy.timeout_s:g} giây)") from e
            except httpx.HTTPError as e:
                raise InputError(url, f"không tải được ({type(e).__name__}: {e})") from e
            return _article_from_response(url, current, content_type, data)
    raise InputError(url, f"chuyển hướng quá nhiều lần (hơn {policy.max_redirects})")


def _read_capped(response: Any, url: str, max_bytes: int, remaining: Any) -> bytes:
    length = response.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise InputError(url, f"trang quá lớn ({int(length):,} byte > {max_bytes:,})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"trang quá lớn (hơn {max_bytes:,} byte)")
        remaining()  # a page dripped byte by byte is stopped by the total deadline
        chunks.append(chunk)
    return b"".join(chunks)


def _article_from_response(url: str, final_url: str, content_type: str, data: bytes) -> Article:
    from diemtin.ingest.read import article_from_text
    from diemtin.ingest.web import article_from_html

    mime = content_type.split(";")[0].strip().lower()
    looks_html = data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    article_id = _id_from_url(final_url)
    if mime in _HTML_TYPES or (not mime and looks_html):
        html = decode_html_bytes(data, _charset(content_type), url)
        article = article_from_html(html, article_id, url, url=final_url)
        article.path = None
        return article
    if mime == "text/plain":
        article = article_from_text(decode_html_bytes(data, _charset(content_type), url), article_id)
        article.url = final_url
        return article
    raise InputError(url, f"không phải trang HTML (content-type {mime or 'không có'})")
