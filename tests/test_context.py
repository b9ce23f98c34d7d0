"""The lost-context detector: sentences that lean on the one before them, and ones that do not."""

from __future__ import annotations

import pytest

from diemtin.select.context import lost_context

LEANS = [
    ("Ông cho biết hai bên sẽ gặp lại vào tuần tới.", "pronoun"),
    ("Bà khẳng định sẽ không rút lui khỏi cuộc đua.", "pronoun"),
    ("Họ đều là những phi công dày dặn kinh nghiệm.", "pronoun"),
    ("Người này mang theo hộ chiếu giả.", "pronoun"),
    # the parties told before: "which two?" (people's summaries never open on these)
    ("Hai bên nhất trí tăng kim ngạch thương mại lên 20 tỷ USD.", "pronoun"),
    ("Các bên sẽ nhóm họp trở lại vào tháng sau.", "pronoun"),
    ("Hai nước cũng ký 5 văn kiện hợp tác về giáo dục.", "pronoun"),
    ("Phía Nhật Bản cam kết hỗ trợ 2 triệu USD cho dự án.", "side"),
    ("Tuy nhiên, phía Mỹ bác bỏ yêu cầu đó.", "connective"),
    ("Cụ thể, 271 mẫu rau có dư lượng thuốc bảo vệ thực vật.", "connective"),
    ("Trong khi đó, giá vàng thế giới giảm mạnh.", "connective"),
    ("Ngoài ra, công an còn thu giữ 2 xe máy.", "connective"),
    # the other party's side, told just before: "for its part", "on the contrary"
    ("Về phần mình, Bộ trưởng Tài chính Pháp kêu gọi các bên kiềm chế.", "connective"),
    ("Trái lại, giá thịt lợn tại các chợ dân sinh vẫn đứng yên.", "connective"),
    ("Theo ông, việc triển khai cần thận trọng.", "attribution"),
    ("Đây là vụ phá sản lớn nhất trong năm.", "demonstrative"),
    ("Điều này khiến người lao động lo lắng.", "demonstrative"),
    ("Các lệnh trừng phạt này nhắm vào ngành ngân hàng.", "anaphor"),
    ("Kết quả này cho thấy dịch đang được kiểm soát.", "demonstrative"),
    ("Danh sách này gồm 11 doanh nghiệp.", "demonstrative"),
    ("Phát ngôn viên cho biết nước này sẽ đáp trả.", "anaphor"),
    ("Đại diện tổ chức nói trên từ chối bình luận.", "anaphor"),
    ("Lãnh đạo công ty này cho biết đã khắc phục sự cố.", "anaphor"),
    ("“Chúng tôi sẽ không nhượng bộ.", "bare_quote"),
    ("“Đây là một sai lầm nghiêm trọng”, ông nói.", "pronoun"),
    ("Phó Bí thư Nguyễn Thị Tuyến nhấn mạnh: Đây là những nội dung rất quan trọng.", "demonstrative"),
    ("Tổng thư ký NATO Jens Stoltenberg cho rằng, đây là cơ hội kịp thời để đối thoại.", "demonstrative"),
    ("Kết thúc cuộc đàm phán, Thứ trưởng Ngoại giao Nga Sergey Ryabkov cho biết hai bên không đạt tiến bộ.", "event"),
    ("Tại hội nghị, các đại biểu đã thảo luận về ngân sách năm tới.", "event"),
    ("Sau buổi làm việc, đoàn công tác đã kiểm tra thực tế tại hiện trường.", "event"),
    ("Nếu muốn đạt được thỏa thuận an ninh với Mỹ thì Nga nên dừng các cuộc tập trận.", "conditional"),
    # the unnamed event ends a longer opening clause: which talks, which meeting?
    ("Phát biểu tại cuộc họp báo với người đồng cấp Mỹ sau cuộc hội đàm, ông Lavrov nói sẽ tiếp tục.",
     "event"),
    ("Trả lời báo chí bên lề hội nghị, Bộ trưởng Bộ Y tế cho biết sẽ mua thêm vắc xin.", "event"),
    ("Chia sẻ với phóng viên sau buổi làm việc, Giám đốc Sở Xây dựng cho biết dự án chậm tiến độ.", "event"),
    # Classes found on held-out summaries (AbMuSu test inputs, labelled blind); cases written anew.
    # that time, that occasion, told before
    ("Năm đó, cô mới 20 tuổi và chưa từng đi thi.", "anaphor"),
    ("Vào thời điểm ấy, nhà máy chỉ có 30 công nhân.", "anaphor"),
    ("Dịp này, tỉnh cấp 500 suất học bổng cho học sinh nghèo.", "anaphor"),
    # any noun pointed at later in a sentence that names nothing it could point at
    ("Ban huấn luyện đánh giá cao sự tiến bộ của tiền vệ này trong mùa giải.", "anaphor"),
    ("Các chuyên gia lo ngại biến thể này có thể lây nhanh hơn.", "anaphor"),
    ("Trên tinh thần đó, các đơn vị được yêu cầu khẩn trương triển khai.", "demonstrative"),
    ("Với quyết tâm ấy, đội tuyển bước vào trận chung kết.", "demonstrative"),
    # a bare "trên" closing its noun phrase
    ("Ngôi nhà trên đã bị niêm phong để phục vụ điều tra.", "demonstrative"),
    ("Để hạn chế các rủi ro trên, ngân hàng siết điều kiện cho vay.", "demonstrative"),
    ("Bộ Tài chính sẽ trả lời về các đề xuất trên vào tháng tới.", "anaphor"),
    # a cause, a time, a day told before
    ("Nguyên nhân là giá nguyên liệu đầu vào tăng cao.", "connective"),
    ("Lý do được cho là thời tiết bất lợi kéo dài.", "connective"),
    ("Cùng ngày, lực lượng cứu hộ tìm thấy thêm 2 thi thể.", "connective"),
    ("Đặc biệt, nhiều cửa hàng giảm giá tới 50%.", "connective"),
    ("Chính vì vậy, nhiều hộ dân đã bỏ ruộng.", "connective"),
    ("Đồng chí đề nghị các địa phương khẩn trương khắc phục.", "pronoun"),
    # a frame on an unnamed exam, match, trip, report
    ("Kết thúc kỳ thi, 3 thí sinh bị đình chỉ vì mang tài liệu.", "event"),
    ("Sau trận đấu, huấn luyện viên đội khách tỏ ra thất vọng.", "event"),
    ("Ngay sau khi nhận tin, lực lượng chức năng đã có mặt tại hiện trường.", "event"),
    # a quotation's tail, whose start is in an earlier sentence
    ("Mọi hộ dân sẽ được hỗ trợ đến khi ổn định”, ông Hải cho biết.", "bare_quote"),
    ('Mọi việc đều đã được chuẩn bị kỹ" - bà Hoa nói.', "bare_quote"),
    # a list item, a cut-off sentence
    ("(ii) Thông tin về tài khoản ngân hàng của khách hàng.", "fragment"),
    ("- Thưa ông, người dân cần làm gì để phòng bệnh sốt xuất huyết?", "fragment"),
    ("Thứ hai, doanh nghiệp phải công khai giá bán lẻ.", "connective"),
    ("Kết quả cho thấy, 60% người được hỏi ủng hộ đề xuất.", "connective"),
    ("- cùng trú tại xã Hòa Bình, đã trình báo sự việc.", "fragment"),
    ("các khoản phụ cấp khác theo quy định hiện hành.", "fragment"),
    # a role noun standing for someone the article introduced ("the victim", "the suspects")
    ("Khi bị phát hiện, nghi can bỏ chạy về hướng cầu Rạch Miễu.", "participant"),
    ("Các đối tượng khai nhận đã thực hiện 5 vụ trộm.", "participant"),
    ("Người nhà đưa bệnh nhi đến bệnh viện trong tình trạng hôn mê.", "participant"),
    ("Sau 38 ngày, chàng trai đã vượt qua hơn 2.000 km.", "participant"),
    ("Cậu cũng quyết định đăng ký hiến tạng.", "pronoun"),
    ("Được biết, sự việc xảy ra vào khoảng 14h chiều.", "participant"),
    # an event with no name as the subject: which one?
    ("Buổi lễ được tổ chức trang trọng tại hội trường lớn.", "event"),
    ("Lễ hội kéo dài đến hết tháng 9.", "event"),
    ("Kể từ thời điểm này, anh quyết định bỏ việc để đi khắp đất nước.", "anaphor"),  # which moment?
    # cut at a pause, or opening a list the sentence does not hold
    ("Các nhà khoa học đã tìm thấy di chỉ sau nhiều năm khai quật từ năm 2015,", "fragment"),
    ("Bộ Y tế đưa ra 4 khuyến cáo sau:", "fragment"),
    # a frame on an unnamed incident ("sau vụ …")
    ("Sau vụ tai nạn, tuyến đường bị ùn tắc kéo dài.", "event"),
    # a level standing for a place named before: which province?
    ("Chủ tịch UBND tỉnh yêu cầu các sở khẩn trương khắc phục.", "place"),
    ("Mưa lớn gây ngập nhiều tuyến đường của thành phố.", "place"),
    # a "trên" the sentence ends on points back even late in the sentence
    ("Lãnh đạo xã đã có buổi làm việc với người dân về nội dung trên.", "demonstrative"),
    # one thing told before, with nothing saying which (a classifier on a plain noun, a document)
    ("Con tàu bị mắc cạn suốt 6 ngày.", "definite"),
    ("Riêng ngôi nhà bị sập hoàn toàn sau trận lũ.", "definite"),
    ("Bức ảnh nhanh chóng thu hút hàng nghìn lượt chia sẻ.", "definite"),
    ("Dự thảo quy định người lao động được nghỉ thêm 2 ngày.", "definite"),
    ("Bộ phim nhận được nhiều lời khen từ giới chuyên môn.", "definite"),
    # an epithet with no name: which actress, which driver?
    ("Tài xế đã đến cơ quan công an trình diện.", "participant"),
    ("Nữ ca sĩ chuyển sang sống tại Mỹ từ năm 2015.", "participant"),
    # an item of a directive, the issuer left out
    ("Nghiêm cấm tổ chức các hoạt động tập trung trên 20 người.", "directive"),
    ("Không tổ chức tiệc cưới, sinh nhật tại nhà hàng.", "directive"),
    ("Tăng cường kiểm tra các cơ sở kinh doanh thực phẩm dịp Tết.", "directive"),
    # one of a set told before; the first of a list
    ("Nạn nhân thứ hai được đưa đi cấp cứu trong đêm.", "definite"),
    ("Ba người còn lại bị thương nhẹ.", "definite"),
    ("Trước hết, cần rà soát toàn bộ hồ sơ đất đai.", "connective"),
    ("Đoàn công tác đã kiểm tra thực tế tại công trường.", "definite"),
    ("Bộ trưởng cho biết đầu tư công tăng 20% trong năm 2023.", "office"),  # who?
    ("Phó Chủ tịch đề nghị các sở khẩn trương rà soát hồ sơ.", "office"),
    ("Sẵn sàng phương án sơ tán người dân khỏi vùng nguy hiểm.", "directive"),
    ("3. Rà soát, sửa đổi các quy định về đấu thầu thuốc.", "fragment"),
    ("Công an đã trao trả số tiền trên cho chủ sở hữu là ông Lê Văn A.", "demonstrative"),
    # a thing or an event pointed at: a name before it is not what it points at
    ("HLV Pep Guardiola bóng gió khả năng xoay tua đội hình ở trận này.", "anaphor"),
    ("Ông Nguyễn Văn Nam cho rằng quyết định này là chưa thỏa đáng.", "anaphor"),
    # a department with no province, and no one named
    ("Phó Giám đốc Sở Tài chính cho rằng giá đất tăng là do đầu cơ.", "place"),
    # a list the summary does not hold; a pointer behind an opening frame's names
    ("Người dân có thể tham khảo các bước sau đây để tự bảo vệ.", "demonstrative"),
    ("Tại Công an huyện, đối tượng này khai đã lấy trộm 3 xe máy.", "anaphor"),
    # a thing pointed at after a name: the name is someone, not the thing (which variant?)
    ("Sở Y tế Hà Nội cho biết biến thể này lây nhanh hơn.", "anaphor"),
    ("Kỹ sư Trần Minh, trưởng nhóm khảo sát, gọi cây cầu này là niềm tự hào của cả vùng.", "anaphor"),
    # a moment told before ("Lúc này", "thời gian này"), not the article's own week
    ("Lúc này, anh Hùng đang đi bộ về nhà.", "anaphor"),
    ("Đáng chú ý, thời gian này giá phân bón lại giảm.", "anaphor"),
    # a pro-form: "đây" as a clause's subject past the opening, "là thế", "như vậy"
    ("Giới chuyên môn tin rằng đây là mức giá cao nhất từ trước tới nay.", "demonstrative"),
    ("Lãi suất cao là thế nhưng người dân vẫn gửi tiền vào ngân hàng.", "demonstrative"),
    ("Một khoản lỗ như vậy khiến cổ đông lo lắng.", "demonstrative"),
    # "còn" (also) right after the subject's name, a short purpose, "Nếu không,"
    ("Nguyễn Văn Tâm còn lừa bán 3 chiếc xe máy cho người quen.", "connective"),
    ("Để khắc phục, Sở Giao thông đề nghị tăng chuyến xe buýt.", "connective"),
    ("Nếu không, giá điện sẽ tăng thêm 5% trong quý tới.", "connective"),
    ("Vả lại, giá thuê mặt bằng ở trung tâm quá cao.", "connective"),
    # the next one of a set; a committee told before
    ("Mẫu xe tiếp theo được trưng bày là một chiếc mui trần.", "definite"),
    ("Ban tổ chức đã hoàn trả tiền vé cho khán giả.", "definite"),
    ("Bởi vì giá vé máy bay quá cao, nhiều người chọn đi tàu.", "connective"),
    # a pronoun past the opening in a sentence naming no one; a person known by initials only
    ("Sau hai ngày tìm kiếm, thi thể của ông được tìm thấy bên bờ suối.", "pronoun"),
    ("Khi thấy cảnh sát, anh ta bỏ chạy vào con hẻm nhỏ.", "pronoun"),
    ("Hàng xóm cho biết K. thường xuyên đi làm về muộn.", "participant"),
    # an epithet, a numbered item by its label, "Nhất là", "Cũng ở" (besides what?)
    ("Cặp sao vừa đón con đầu lòng tại Los Angeles.", "participant"),
    ("Phương án 2: giữ nguyên giá điện đến hết năm.", "fragment"),
    ("Nhất là các hộ kinh doanh nhỏ lẻ ở vùng ven.", "connective"),
    ("Cũng ở hạng mục này, bộ phim của đạo diễn Trấn Thành được đề cử.", "connective"),
    # a list scraped as one line, its items glued ("… mũiĐau đầu …")
    ("Sốt cao kèm ớn lạnhĐau họng, sổ mũiMệt mỏi kéo dài.", "fragment"),
    ("Trái với đội trưởng Minh Tuấn, hậu vệ Văn Hậu sẽ trở lại đội tuyển.", "connective"),  # what of him?
    # a rule with no one issuing it
    ("Hồ sơ của người nộp thuế phải được lưu giữ tối thiểu 10 năm.", "directive"),
    # the same day as one told before; a role noun with a number that is no age
    ("Đến khoảng 22 giờ cùng ngày, Nguyễn Văn Tâm ra đầu thú.", "anaphor"),
    ("Do bệnh quá nặng nên bệnh nhân đã tử vong ngày 20/7.", "participant"),
    ("Hậu quả là hàng trăm hộ dân bị mất điện.", "connective"),
    # "Bởi", a forecast with no subject, a document with no one's name, the rest of a set
    ("Bởi khi giá xăng tăng, chi phí vận chuyển cũng tăng theo.", "connective"),
    ("Dự kiến sẽ hoàn thành việc giải ngân trong tháng 9.", "connective"),
    ("Theo báo cáo, 12 xã đã hoàn thành chỉ tiêu nông thôn mới.", "connective"),
    ("Ba đội còn lại sẽ thi đấu vòng loại vào tuần sau.", "definite"),
    ("Lịch thi trên áp dụng cho toàn bộ các trường tiểu học.", "demonstrative"),
    # a provision of a law the sentence does not name; a unit told before
    ("Khoản 3 Điều 12 quy định mức phạt từ 2 đến 4 triệu đồng.", "definite"),
    ("Đơn vị đã điều 3 xe chữa cháy đến hiện trường.", "definite"),
    # a numbered heading scraped with its number glued on
    ("Làm thế nào để ngủ ngon hơn?4.", "fragment"),
    # a label and its value, not a sentence
    ("Mức độ cảnh báo lũ quét: Cấp 2.", "fragment"),
]

STANDS = [
    # the thing is named, numbered, or said whose
    "Chiếc máy bay của hãng Vietjet hạ cánh an toàn lúc 9 giờ.",
    "Dự án Vành đai 4 có tổng vốn hơn 85.000 tỷ đồng.",
    "Nghị định 100 quy định mức phạt cho người say rượu lái xe.",
    "Con người là trung tâm của mọi chính sách phát triển.",
    "Căn cứ vào kết quả xét nghiệm, Sở Y tế Hà Nội công bố ca bệnh.",
    "Bộ phim về cuộc đời nhạc sĩ Trịnh Công Sơn ra rạp tháng 10.",
    # a department with its province, or its director named
    "Giám đốc Sở Y tế Đà Nẵng cho biết có 12 ca mắc mới.",
    "Giám đốc Sở Nội vụ Trần Văn Hải cho biết đã có 300 công chức nghỉ việc.",
    "Tài xế cần tuân thủ quy định về thời gian lái xe liên tục.",  # any driver
    "Hội nghị G20 khai mạc tại Bali, hội nghị này kéo dài hai ngày.",  # the thing named before in the sentence
    "3 người bị thương được đưa đi cấp cứu.",  # a number, not an item
    "Giám đốc điều hành Tim Cook cho biết doanh thu tăng 8%.",  # the office's words, then the name
    "Trên mặt đường vẫn còn nhiều vết dầu.",
    "Tăng cường kiểm tra, công an huyện Ba Vì phát hiện 3 cơ sở vi phạm.",  # a frame, then its subject
    "Ngày thứ hai của hội nghị, các đại biểu thảo luận về ngân sách.",  # a day
    "Đoàn Thanh niên Bộ Công an tổ chức ngày hội hiến máu.",  # named
    "Người tài xế điều khiển chiếc xe tải chở gạch là Lê Văn Tú.",  # named further on
    "Ca sĩ Mỹ Tâm vừa ra mắt album mới, nữ ca sĩ cho biết đã chuẩn bị 2 năm.",  # the one just named
    "Ông Sergei Ryabkov cho biết hai bên không đạt được tiến bộ.",
    "Bà Nguyễn Thị Hà được bổ nhiệm làm Thứ trưởng.",
    "Theo ông Lavrov, đối thoại sẽ tiếp tục.",
    "Nga và Mỹ bắt đầu đàm phán an ninh tại Geneva ngày 10/1.",
    "Trong tuần này, giá xăng tăng 500 đồng mỗi lít.",
    "Tháng này, Hà Nội ghi nhận 1.200 ca mắc mới.",
    "Bộ Ngoại giao Nga tuyên bố nước này sẽ không rút quân.",  # the sentence names the country itself
    "“Chúng tôi sẽ không nhượng bộ”, Thứ trưởng Ryabkov nói.",
    "Anh và Pháp ký thỏa thuận hợp tác quốc phòng.",  # Anh: Britain, not a pronoun
    "Hai nước Việt Nam và Lào ký hiệp định biên giới.",  # the two are named
    "Phía Bắc tỉnh Lào Cai có mưa rào và dông vài nơi.",  # a place
    "Hội nghị xúc tiến du lịch diễn ra trên địa bàn tỉnh Quảng Nam.",
    "Về phía Mỹ, Ngoại trưởng Blinken nhấn mạnh đối thoại là con đường duy nhất.",  # the side is named
    "Bộ trưởng Bộ Tài chính cho biết đầu tư công tăng 20% trong năm 2023.",  # which minister
    "Phó Thủ tướng Trần Hồng Hà yêu cầu các địa phương chủ động ứng phó bão.",
    # the frame names its event, or is no event; the condition has its speaker, or gives no advice
    "Sau cuộc hội đàm Hội đồng NATO - Nga kéo dài 4 giờ, ông Grushko cho biết khối này quay lại chiến lược cũ.",
    "Trong cuộc sống hằng ngày, nhiều người dùng điện thoại quá nhiều.",
    "Nếu muốn đạt được thỏa thuận, Nga nên dừng tập trận, bà Sherman nói.",
    "Nếu trời mưa lớn, trận đấu sẽ bị hoãn sang tuần sau.",
    # a longer opening clause that says which event, or means no event
    "Phát biểu tại cuộc họp báo ở Hà Nội sau cuộc gặp với Thủ tướng, ông Kishida cảm ơn Việt Nam.",
    "Trả lời phỏng vấn sau cuộc họp hôm 12/1, Thứ trưởng Grushko cho biết Nga không lùi bước.",
    "Công an cho biết trong vòng một tuần, 12 vụ trộm đã bị phát hiện.",
    "Các chuyên gia nhận định trong cuộc sống hiện đại, con người ít vận động.",
    # ... and their look-alikes that stand alone
    "Năm 2019, ông chuyển về Hà Nội; năm đó ông 40 tuổi.",  # the year is told in the sentence
    "Tuần này, giá cà phê tăng 3%.",
    "Các em được tặng học bổng vào cuối năm học này.",  # this school year
    "Thủ tướng kêu gọi người dân cảnh giác trước làn sóng dịch lần này.",  # "this time", not "that"
    "Nhiều xe tải chạy trên cao tốc mỗi ngày.",  # "trên": on
    "Lực lượng chức năng đã kiểm tra trên địa bàn huyện Gia Lâm.",
    "Nguyên nhân vụ cháy đang được cơ quan chức năng làm rõ.",  # the cause is of what it names
    "Trong khi “Proof” gồm các bài cũ, “For Youth\" là bài hát mới.",  # a straight quote closes a curly one
    'Ông Tuấn nói: "Chúng tôi đã sẵn sàng."',
    "- Người lao động có thời gian đóng bảo hiểm dưới một năm được hưởng trợ cấp một lần.",
    "Sau trận đấu với Thái Lan, huấn luyện viên Park Hang-seo hài lòng.",  # the match is named
    # role nouns that say who, or name a category, and events that say which
    "Một nạn nhân 35 tuổi đã được đưa đi cấp cứu.",  # introduced here
    "Nạn nhân là anh Lê Văn Tú, trú tại xã Tân Phú.",  # named right after
    "Bệnh nhân 62 tuổi nhập viện vì khó thở.",  # aged right after
    "Bệnh nhân cần uống đủ nước và nghỉ ngơi.",  # advice to any patient
    "Các đối tượng chính sách được hỗ trợ 2 triệu đồng.",  # a category
    "Lễ hội Hoa Ban diễn ra tại Điện Biên.",  # the festival is named
    "Ông Nam dừng xe, bước xuống và đứng ở trên.",  # "ở trên": up there
    "Sau vụ tai nạn trên cao tốc Hà Nội – Hải Phòng, tuyến đường bị ùn tắc.",  # which one is said
    "Sau tuần này, giá xăng dự kiến giảm nhẹ.",  # a period from the article's date
    "Vào thời điểm này, giá vàng đã tăng 2%.",  # now
    "UBND tỉnh Quảng Ngãi yêu cầu các sở khẩn trương khắc phục.",  # the province is named
    "Công an huyện Gia Lâm phối hợp với công an tỉnh để truy bắt.",  # ... and the bare one is it
    "Các tỉnh, thành phố cần chủ động phương án phòng chống bão.",  # every province: a category
    "Vấn đề an sinh xã hội được cử tri quan tâm.",  # "xã hội": society
    "Sau giấc ngủ dài, anh tỉnh dậy trong bệnh viện.",  # "tỉnh dậy": woke up
    "Mưa lớn gây ngập nhiều tuyến đường ở TP.HCM và các tỉnh lân cận.",  # a city the gazetteer knows
    # ... a pointer a name before says (a person's noun, an organisation's), a moment that is now
    "Tiền vệ Quang Hải ghi bàn, khiến cầu thủ này trở thành vua phá lưới.",
    "Vietnam Airlines cho biết hãng hàng không này sẽ mở thêm 3 đường bay.",
    "Tính đến thời điểm này, 12 tỉnh đã hoàn thành giải ngân.",  # (12 provinces: a count, not one)
    "Giai đoạn đầu kéo dài 2 tuần, trong giai đoạn này học sinh học trực tuyến.",  # told in the sentence
    # "đây" a place or a time; "như thế nào" asks; "còn" as "still", or after "Ngoài …"
    "Gần đây, giá rau xanh tăng mạnh.",
    "Cách đây không lâu, công ty công bố kế hoạch mở rộng.",
    "Người dân muốn biết quy trình cấp sổ đỏ như thế nào.",
    "Hà Nội còn 5 quận chưa hoàn thành chỉ tiêu tiêm chủng.",
    "Ngoài Hà Nội, TP.HCM còn ghi nhận 300 ca mắc mới.",
    # people ("bà con"), a person given by a title before the initials or introduced by "tên"
    "Bà con trong xã phấn khởi vì mưa đã về sau ba tháng hạn.",
    "Chị Nguyễn Thị M. cho biết anh T. đã đi làm xa từ năm ngoái.",
    "Một người đàn ông tên K. đã đến trình báo công an phường Bến Nghé.",
    "Nhiệt độ cao nhất ở Hà Nội là 38 độ C. Trời nắng nóng kéo dài.",
    "Ông Trần Văn Nam cho biết con trai của ông đã đi du học.",  # the sentence names him
    "TikTok và YouTube đều tăng trưởng mạnh, ĐắkLắk và ĐắkLắk.",  # brands, one name written twice
    "Theo Nghị định 13, dữ liệu cá nhân phải được xử lý trên lãnh thổ Việt Nam.",  # whose rule it is
    "Doanh thu quý II tăng 12% so với cùng kỳ năm trước.",  # year on year
    "Bệnh nhân 62 tuổi, trú tại huyện Gia Lâm, nhập viện ngày 3/5.",  # introduced by age
    "Theo báo cáo của Bộ Y tế, 12 tỉnh đã hoàn thành tiêm chủng.",  # whose report
    "Dự kiến, Hà Nội sẽ mở thêm 3 tuyến xe buýt điện.",
    "Trong 6 tháng còn lại của năm 2022, xuất khẩu dự kiến tăng 8%.",  # the rest of a year it names
    "Các ca bệnh nặng được chuyển lên tuyến trên để điều trị.",  # the higher-level hospitals
    "Các căn hộ của dự án Vinhomes có diện tích từ 87 đến 211 m2.",  # a unit, not a heading number
    "Phim lên sóng giờ vàng VTV1.",
    "Điều 5 Luật Đất đai quy định người sử dụng đất.",  # the law is named
    "Khoản 2 Điều 8 của Nghị định 100 quy định mức phạt.",
    # a purpose that says what; "Nếu không" opening a condition that says which
    "Để đảm bảo an toàn cho người dân, Hà Nội cấm xe tải vào nội đô.",
    "Nếu không được điều trị kịp thời, bệnh có thể gây biến chứng.",
    "",
]


@pytest.mark.parametrize(("text", "kind"), LEANS)
def test_sentences_that_lean_on_the_one_before(text: str, kind: str) -> None:
    found = lost_context(text)
    assert found is not None, text
    assert found.kind == kind
    assert found.words and found.words.split()[0] in text  # the words shown come from the sentence


@pytest.mark.parametrize("text", STANDS)
def test_sentences_that_stand_alone(text: str) -> None:
    assert lost_context(text) is None


@pytest.mark.parametrize("text", [t for t, _ in LEANS] + STANDS)
def test_the_callers_syllables_give_the_same_answer(text: str) -> None:
    from diemtin.lang.tokens import syllables

    assert lost_context(text, syllables(text)) == lost_context(text)


def test_nfd_input_is_read_like_nfc() -> None:
    import unicodedata

    assert lost_context(unicodedata.normalize("NFD", "Tuy nhiên, phía Mỹ bác bỏ.")) is not None


def test_one_stop_word_list_from_the_data_file() -> None:
    import unicodedata
    from importlib import resources

    from diemtin.lang.stopwords import STOPWORDS, content_syllables
    from diemtin.select.selector import STOP_SYLLABLES

    raw = resources.files("diemtin.lang").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    assert "và" in raw and STOP_SYLLABLES is STOPWORDS  # the selector reads the same list
    assert {"và", "của", "đã", "những"} <= STOPWORDS and not {"nga", "mỹ", "đàm", "phán"} & STOPWORDS
    assert all(unicodedata.is_normalized("NFC", w) and w == w.lower() for w in STOPWORDS)
    assert content_syllables(["nga", "và", "mỹ", "đã", "2022"]) == ["nga", "mỹ"]


def test_short_references_to_people_named_in_full_elsewhere() -> None:
    from diemtin.select.context import KnownNames, short_references

    known = KnownNames([
        "Luật sư Trần Minh Khoa đã phân tích vụ việc với phóng viên.",
        "Bà Lê Thị Hạnh, hàng xóm của nạn nhân, cũng có mặt.",
        "Thủ tướng Anh Boris Johnson không bình luận.",
    ])
    refs = short_references([
        "Theo ông Khoa, hành vi này có dấu hiệu tội phạm.",  # named in full elsewhere: short
        "Bà Lê Thị Hạnh xác nhận sự việc.",  # the full name is in the sentence itself
        "Ông Johnson không bình luận.",  # a surname: how the press names anyone named in full once
        "Chị Mai cho biết đã báo công an.",  # never named in full: nothing to point back to
    ], known)
    assert refs[0] is not None and refs[0].words == "ông Khoa" and refs[0].full == "Trần Minh Khoa"
    assert refs[1:] == [None, None, None]


def test_short_references_in_a_summary_read_against_the_cluster() -> None:
    from diemtin.select.context import KnownNames, short_references

    known = KnownNames(["Giám đốc Sở Y tế Nguyễn Văn Đồng cho biết có 322 người nghỉ việc."])
    summary = ["Theo ông Đồng, nhiều nhân viên y tế nghỉ việc vì lương thấp.", "Ông Đồng đề xuất tăng phụ cấp."]
    assert [r is not None for r in short_references(summary, known)] == [True, True]
    told = ["Giám đốc Sở Y tế Nguyễn Văn Đồng cho biết có 322 người nghỉ việc.", *summary]
    assert short_references(told, known) == [None, None, None]  # the summary told the name first


def test_a_name_told_alone_is_a_short_reference_when_the_cluster_names_the_person_in_full() -> None:
    from diemtin.select.context import KnownNames, short_references

    known = KnownNames([
        "Lê Văn Thắng (25 tuổi, trú huyện Củ Chi) bị bắt vì trộm xe máy.",
        "Cô giáo Phạm Thị Hoa nhận giải thưởng tại Lâm Đồng.",
        "Liên minh châu Âu (EU) họp tại Brussels.",
    ])
    refs = short_references([
        "Tại cơ quan công an, Thắng khai nhận đã bán xe.",  # his given name, alone
        "Hoa là giáo viên duy nhất của điểm trường.",  # opening the sentence, before a verb
        "Đồng thời, công an thu giữ 3 xe máy.",  # "Đồng thời": a word, not "Lâm Đồng" named short
        "EU và Mỹ bàn về lệnh cấm vận dầu của châu Âu.",  # "châu Âu" is the place, lowercase
        "Lê Văn Thắng bị tạm giữ.",  # in full
    ], known)
    assert [r and (r.words, r.full) for r in refs] == [
        ("Thắng", "Lê Văn Thắng"), ("Hoa", "Phạm Thị Hoa"), None, None, None,
    ]
