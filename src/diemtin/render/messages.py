"""Problem messages in Vietnamese, for everything a person reads (Markdown, text, the page).

The stages word their problems for developers (``Problem.message``, English, matched by
tests and logs); a reader gets the Vietnamese text from this catalogue, beside it in the JSON
as ``message_vi``. A message already in Vietnamese is kept as it is; one the catalogue does
not know yet keeps its technical words in brackets after a Vietnamese lead, never alone.
"""

from __future__ import annotations

import regex

# (pattern on the English message, Vietnamese template using the pattern's groups), first match wins.
_CATALOGUE: list[tuple[str, str]] = [
    (r"empty input", "đầu vào trống"),
    (r"no article text left after cleaning",
     "sau khi làm sạch không còn nội dung bài báo (chỉ có menu, quảng cáo, tin liên quan…)"),
    (r"does not look like Vietnamese text; digested anyway", "có vẻ không phải tiếng Việt; vẫn được tóm tắt"),
    (r"binary data, not text.*", "dữ liệu nhị phân, không phải văn bản"),
    (r"cannot decode as declared charset (\S+).*", r"không giải mã được theo bảng mã khai báo \1"),
    (r"cannot decode as (\S+).*", r"không giải mã được theo bảng mã \1"),
    (r"cannot decode.*|could not detect.*encoding.*|undecodable.*", "không nhận ra bảng mã của tệp"),
    (r"unknown charset (.+)", r"bảng mã không rõ: \1"),
    (r"cannot read: (.+)", r"không đọc được tệp (\1)"),
    (r"could not read \((.+)\)", r"không đọc được (\1)"),
    (r"file too large \(([\d,]+) bytes > ([\d,]+)\)", r"tệp quá lớn (\1 byte, tối đa \2)"),
    (r"article too large \(([\d,]+) bytes > ([\d,]+)\); skipped", r"bài quá lớn (\1 byte, tối đa \2); bỏ qua"),
    (r"page too large.*", "trang quá lớn"),
    (r"expected a JSON object, got (\w+)", r"cần một đối tượng JSON, nhận được \1"),
    (r"expected an object, got (\w+)", r"cần một đối tượng JSON, nhận được \1"),
    (r"no article text \(expected a non-empty 'text' field\)", "không có nội dung bài (cần trường 'text' không rỗng)"),
    (r"no article text found in the HTML page", "không tìm thấy nội dung bài báo trong trang HTML"),
    (r"cannot parse HTML.*", "không đọc được trang HTML"),
    (r"not an HTML page \(content-type (.+)\)", r"không phải trang HTML (kiểu nội dung \1)"),
    (r"'single_documents' is not a non-empty list", "'single_documents' phải là một danh sách có bài"),
    (r"invalid article \((.+)\)", r"bài không hợp lệ (\1)"),
    (r"'path' ignored: the server only reads what is sent", "bỏ qua 'path': máy chủ chỉ đọc những gì được gửi lên"),
    (r"'url' ignored: only http\(s\) URLs are accepted", "bỏ qua 'url': chỉ nhận địa chỉ http(s)"),
    (r"URL fetching is disabled on this server; send the text",
     "máy chủ này không tải địa chỉ URL; hãy gửi nội dung bài"),
    (r"unsupported file type '(.*)' \(use (.+)\)", r"không nhận loại tệp '\1' (dùng \2)"),
    (r"unsupported URL scheme.*", "địa chỉ URL không được hỗ trợ (chỉ http và https)"),
    (r"redirect without a Location.*", "trang chuyển hướng mà không nói đi đâu"),
    (r"too many redirects \(more than (\d+)\)", r"chuyển hướng quá nhiều lần (hơn \1)"),
    (r"HTTP (\d{3}).*", r"máy chủ của trang trả lời lỗi HTTP \1"),
    (r"timed out after ([\d.]+) s", r"quá thời gian chờ (\1 giây)"),
    (r"cannot fetch.*", "không tải được trang"),
]
_COMPILED = [(regex.compile(p), t) for p, t in _CATALOGUE]
# A letter only Vietnamese writes: the message is already for a Vietnamese reader.
_VIETNAMESE = regex.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\p{L}][\u0300-\u0323]|[àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")


def problem_text(message: str) -> str:
    """The Vietnamese text of a problem message."""
    message = " ".join(str(message).split())
    for pattern, template in _COMPILED:
        m = pattern.fullmatch(message)
        if m:
            return m.expand(template)
    if _VIETNAMESE.search(message):
        return message
    return f"không dùng được đầu vào này (chi tiết kỹ thuật: {message})"
