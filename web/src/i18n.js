// The dashboard's own words in Vietnamese, Chinese and English. Gate and
// commodity names come from the API (names.vi / names.zh / names.en).
const words = {
	skip: ['Bỏ qua đến nội dung', '跳到内容', 'Skip to content'],
	language: ['Ngôn ngữ', '语言', 'Language'],
	nav_map: ['Bản đồ biên giới', '边境地图', 'Border map'],
	nav_consignment: ['Lô hàng', '货物', 'Consignment'],
	nav_simulation: ['Mô phỏng', '模拟', 'Simulation'],
	who_none: ['Chưa có mã truy cập', '未设置令牌', 'No token'],
	token_title: ['Mã truy cập của bạn', '您的访问令牌', 'Your token'],
	token_label: ['Mã truy cập (bf_…)', '访问令牌 (bf_…)', 'Bearer token (bf_…)'],
	token_help: [
		'Mã do quản trị viên cấp bằng lệnh borderflow tokens new; chỉ lưu trong trình duyệt này.',
		'由管理员用 borderflow tokens new 签发；只保存在本浏览器中。',
		'Issued with borderflow tokens new; kept in this browser only.'],
	save: ['Lưu', '保存', 'Save'],
	clear: ['Xoá', '清除', 'Clear'],
	close: ['Đóng', '关闭', 'Close'],
	token_bad: ['Mã không hợp lệ hoặc đã bị thu hồi.', '令牌无效或已被吊销。', 'The token is unknown or revoked.'],
	you_are: ['Bạn là {party} ({country}), vai trò: {role}.', '您是 {party}（{country}），角色：{role}。', 'You are {party} ({country}), role: {role}.'],
	may_do: ['Vai trò này được:', '此角色可以：', 'This role may:'],
	anon_may: ['Không có mã, bạn chỉ xem được cửa khẩu, giờ mở cửa, khe giờ và kịch bản.', '没有令牌时只能查看口岸、开放时间、时段和情景。', 'Without a token you see gates, hours, slots and scenarios only.'],
	role_carrier: ['Nhà vận tải', '承运人', 'Carrier'],
	role_export_authority: ['Cơ quan xuất khẩu', '出口监管机构', 'Export authority'],
	role_import_authority: ['Cơ quan nhập khẩu', '进口监管机构', 'Import authority'],
	role_gate_operator: ['Điều hành cửa khẩu', '口岸调度员', 'Gate operator'],
	role_planner: ['Hoạch định', '规划人员', 'Planner'],
	role_registry_authority: ['Cơ quan đăng ký', '注册登记机构', 'Registry authority'],
	role_system: ['Hệ thống', '系统', 'System'],
	role_auditor: ['Kiểm toán', '审计员', 'Auditor'],
	can_declare: ['khai báo, đặt chỗ và làm thủ tục vào bãi cho lô hàng của mình', '申报、预约并为自己的货物办理入场', 'declare, book and check in its own consignments'],
	can_read_queue: ['xem hàng chờ của các cửa khẩu', '查看各口岸的排队', 'see the queues of the gates'],
	can_read_consignments: ['xem các lô hàng và dòng thời gian', '查看货物及其时间线', 'read consignments and their timelines'],
	can_call: ['gọi xe tiến lên và đăng đóng cửa hoặc gia hạn giờ', '叫车前行，发布关闭或延时', 'call vehicles forward and post closures or extensions'],
	can_simulate: ['chạy mô phỏng và so sánh chính sách', '运行模拟并比较政策', 'run simulations and compare policies'],
	can_registry: ['quản lý danh bạ doanh nghiệp, vùng trồng, cơ sở đóng gói (không xem hàng chờ)', '管理出口商、种植区和包装厂登记（不能查看排队）', 'keep the registry of exporters, planting areas and packing houses (no queues)'],
	can_decide: ['ra quyết định thông quan của bên mình', '作出本方的通关决定', 'take its side\u2019s clearance decisions'],
	can_audit: ['kiểm tra nhật ký sự kiện', '核验事件日志', 'verify the event log'],
	loading: ['Đang tải…', '加载中…', 'Loading…'],
	error: ['Lỗi: {msg}', '错误：{msg}', 'Error: {msg}'],
	updated: ['Cập nhật {time}', '更新于 {time}', 'Updated {time}'],
	live: ['Trực tiếp', '实时', 'Live'],
	// map
	map_title: ['Cửa khẩu biên giới Việt Nam – Trung Quốc', '中越边境口岸', 'Vietnam – China border gates'],
	map_lead: ['{n} cặp cửa khẩu; màu theo hàng chờ và thời gian chờ dự kiến.', '{n} 对口岸；颜色表示排队和预计等待时间。', '{n} gate pairs, coloured by their queue and expected wait.'],
	map_no_token: ['Nhập mã truy cập (bất kỳ vai trò nào trừ cơ quan đăng ký) để xem hàng chờ; các cửa khẩu đang hiển thị màu trung tính.', '输入令牌（除注册登记机构外的任何角色）以查看排队；口岸暂以中性色显示。', 'Enter a token (any role but registry authority) to see the queues; gates are shown neutral until then.'],
	map_forbidden: ['Vai trò này không được xem hàng chờ; các cửa khẩu hiển thị màu trung tính.', '此角色不能查看排队；口岸以中性色显示。', 'This role may not read queues; gates are shown neutral.'],
	legend: ['Chú giải', '图例', 'Legend'],
	level_clear: ['Thông thoáng (chờ < 2 giờ)', '畅通（等待 < 2 小时）', 'Clear (wait under 2 h)'],
	level_busy: ['Đông (2–6 giờ)', '繁忙（2–6 小时）', 'Busy (2–6 h)'],
	level_jammed: ['Ùn tắc (> 6 giờ)', '拥堵（> 6 小时）', 'Congested (over 6 h)'],
	level_unknown: ['Không rõ (chưa có mã)', '未知（无令牌）', 'Unknown (no token)'],
	road: ['Đường bộ', '公路', 'Road'],
	rail: ['Đường sắt', '铁路', 'Rail'],
	gate: ['Cửa khẩu', '口岸', 'Gate'],
	class_international: ['Cửa khẩu quốc tế', '国际口岸', 'International'],
	class_main: ['Cửa khẩu chính', '主要口岸', 'Main'],
	class_secondary: ['Cửa khẩu phụ', '次要口岸', 'Secondary'],
	designated_for: ['Chỉ định cho: {list}', '指定用于：{list}', 'Designated for: {list}'],
	cc_fruit: ['trái cây', '水果', 'fruit'],
	cc_vegetable: ['rau', '蔬菜', 'vegetables'],
	cc_aquatic: ['thuỷ sản', '水产品', 'aquatic products'],
	cc_processed: ['hàng chế biến', '加工品', 'processed goods'],
	cc_grain: ['ngũ cốc', '粮食', 'grain'],
	cc_dairy: ['sữa', '乳制品', 'dairy'],
	cc_other: ['hàng khác', '其他', 'other goods'],
	mode: ['Loại', '方式', 'Mode'],
	waiting: ['Đang chờ', '排队', 'Waiting'],
	expected_wait: ['Chờ dự kiến', '预计等待', 'Expected wait'],
	open_today: ['Giờ thông quan hôm nay (UTC)', '今日通关时段 (UTC)', 'Crossing today (UTC)'],
	closed_today: ['Đóng cả ngày', '全天关闭', 'Closed all day'],
	country_CN: ['TRUNG QUỐC', '中国', 'CHINA'],
	country_VN: ['VIỆT NAM', '越南', 'VIETNAM'],
	country_LA: ['LÀO', '老挝', 'LAOS'],
	vehicles: ['{n} xe', '{n} 辆', '{n} vehicles'],
	map_source: ['Bản đồ: Natural Earth 1:10m (world-atlas), vẽ sẵn khi xây dựng.', '地图：Natural Earth 1:10m（world-atlas），构建时绘制。', 'Map: Natural Earth 1:10m (world-atlas), drawn at build time.'],
	// gate view
	back_map: ['← Bản đồ', '← 地图', '← Map'],
	hours_today: ['Giờ mở cửa hôm nay', '今日开放时间', 'Hours today'],
	side: ['Bên', '一侧', 'Side'],
	local_time: ['Giờ địa phương', '当地时间', 'Local time'],
	crossing_window: ['Khung thông quan (cả hai bên mở)', '通关时段（双方均开放）', 'Crossing window (both sides open)'],
	lanes: ['Làn', '车道', 'Lanes'],
	direction: ['Hướng', '方向', 'Direction'],
	per_hour: ['{n} xe/giờ mỗi làn', '每车道每小时 {n} 辆', '{n} vehicles an hour a lane'],
	slot_fill: ['Độ lấp đầy khe giờ', '时段预约占用', 'Slot fill'],
	slot_fill_lead: ['Chỗ đã đặt trên tổng số chỗ, theo ngày (UTC) và hướng.', '按日期（UTC）和方向统计的已订/总位。', 'Places booked of places offered, by day (UTC) and direction.'],
	places: ['{b} / {c} chỗ', '{b} / {c} 位', '{b} / {c} places'],
	no_slots: ['Không có khe giờ', '无时段', 'No slots'],
	queue: ['Hàng chờ tại bãi', '停车场排队', 'The waiting yard'],
	queue_empty: ['Không có xe nào đang chờ.', '没有车辆在等待。', 'Nobody is waiting.'],
	place: ['Thứ tự', '序位', 'Place'],
	vehicle: ['Phương tiện', '车辆', 'Vehicle'],
	commodity: ['Hàng hoá', '货物', 'Commodity'],
	slot: ['Khe giờ', '时段', 'Slot'],
	expected_crossing: ['Dự kiến qua', '预计通过', 'Expected crossing'],
	to_spoil: ['Còn trước khi hỏng', '距变质', 'Time to spoilage'],
	state: ['Trạng thái', '状态', 'State'],
	operator_tools: ['Điều hành cửa khẩu', '口岸调度', 'Gate operations'],
	call_title: ['Gọi xe tiến lên', '叫车前行', 'Call vehicles forward'],
	count: ['Số xe', '车辆数', 'Vehicles'],
	override_reason: ['Lý do gọi ngoài giờ (nếu có)', '非开放时间叫车的理由（如需）', 'Reason to call outside the hours (if needed)'],
	override_hint: ['vd. hàng dễ hỏng, hai bên đã thống nhất', '例如：易腐货物，双方已同意', 'e.g. perishable load, agreed by both sides'],
	call_refused: ['Chưa thể gọi: cửa khẩu chưa mở hoặc khe chưa đến. Cửa sổ tiếp theo: {vn} — {utc}. Nêu lý do để gọi ngoài giờ.', '现在不能叫车：口岸未开放或时段未到。下一个窗口：{vn} — {utc}。如需在非开放时间叫车，请填写理由。', 'Not now: the gate is shut or the slot is not yet due. Next window: {vn} — {utc}. State a reason to call outside the hours.'],
	call_refused_none: ['Chưa thể gọi: không có cửa sổ thông quan nào trong 60 ngày tới.', '现在不能叫车：未来60天内没有通关窗口。', 'Not now: no crossing window in the next 60 days.'],
	call_btn: ['Gọi', '叫车', 'Call forward'],
	called_result: ['Đã gọi {n} xe; {m} xe lỡ khe được chuyển.', '已叫 {n} 辆；{m} 辆错过时段已改约。', 'Called {n}; {m} missed slots moved.'],
	change_title: ['Đóng cửa hoặc gia hạn giờ', '关闭或延长开放', 'Closure or extension'],
	kind: ['Loại', '类型', 'Kind'],
	closure: ['Đóng cửa', '关闭', 'Closure'],
	extension: ['Gia hạn giờ', '延长开放', 'Extension'],
	from_utc: ['Từ (UTC)', '自 (UTC)', 'From (UTC)'],
	to_utc: ['Đến (UTC)', '至 (UTC)', 'To (UTC)'],
	both_sides: ['Cả hai bên', '双方', 'Both sides'],
	note: ['Ghi chú', '备注', 'Note'],
	post_btn: ['Đăng và xếp lại', '发布并重新预约', 'Post and rebook'],
	rebook_result: ['Kết quả xếp lại', '重新预约结果', 'Rebooking result'],
	moved: ['Đã chuyển khe ({n})', '已改约（{n}）', 'Moved ({n})'],
	at_risk: ['Có nguy cơ hỏng ({n})', '有变质风险（{n}）', 'At risk ({n})'],
	nothing_moved: ['Không phải chuyển lô nào.', '无需改约。', 'No booking had to move.'],
	consignment: ['Lô hàng', '货物', 'Consignment'],
	from: ['Từ', '从', 'From'],
	to: ['Đến', '到', 'To'],
	operator_only: ['Chỉ điều hành cửa khẩu mới gọi xe và đăng thay đổi.', '只有口岸调度员可以叫车和发布变更。', 'Only a gate operator calls vehicles and posts changes.'],
	changes: ['Đóng cửa và gia hạn', '关闭与延时', 'Closures and extensions'],
	no_changes: ['Không có thay đổi nào đang áp dụng, sắp tới hoặc trong tuần qua.', '当前、即将及过去一周均无变更。', 'None running, coming or in the past week.'],
	activity: ['Hoạt động gần đây', '最近动态', 'Recent events'],
	no_activity: ['Chưa có sự kiện nào của các xe trong bãi.', '停车场车辆暂无事件。', 'No events of the vehicles in the yard yet.'],
	ev_left: ['{v} rời hàng chờ', '{v} 离开排队', '{v} left the queue'],
	// consignment
	cons_title: ['Theo dõi lô hàng', '货物跟踪', 'Follow a consignment'],
	cons_id: ['Mã lô hàng', '货物编号', 'Consignment id'],
	show: ['Xem', '查看', 'Show'],
	cons_need_token: ['Cần mã truy cập của nhà vận tải (hoặc cơ quan) để xem lô hàng.', '需要承运人（或监管机构）的令牌才能查看货物。', 'A carrier\u2019s (or an authority\u2019s) token is needed to read a consignment.'],
	timeline: ['Dòng thời gian', '时间线', 'Timeline'],
	no_events: ['Chưa có sự kiện.', '暂无事件。', 'No events yet.'],
	exporter: ['Doanh nghiệp xuất khẩu', '出口商', 'Exporter'],
	weight: ['Khối lượng tịnh', '净重', 'Net weight'],
	destination: ['Nơi đến', '目的地', 'Destination'],
	declared_at: ['Khai báo lúc', '申报时间', 'Declared at'],
	st_declared: ['Đã khai báo', '已申报', 'Declared'],
	st_validated: ['Hợp lệ', '已核验', 'Validated'],
	st_rejected: ['Bị từ chối', '被拒绝', 'Rejected'],
	st_booked: ['Đã đặt chỗ', '已预约', 'Booked'],
	st_waiting: ['Đang chờ', '等待中', 'Waiting'],
	st_called: ['Được gọi', '已叫号', 'Called'],
	st_export_cleared: ['Thông quan xuất', '出口放行', 'Export cleared'],
	st_import_cleared: ['Thông quan nhập', '进口放行', 'Import cleared'],
	st_crossed: ['Đã qua biên giới', '已过境', 'Crossed'],
	st_held: ['Bị giữ', '扣留', 'Held'],
	st_inspection: ['Kiểm tra', '查验', 'Inspection'],
	st_refused: ['Bị từ chối nhập', '拒绝入境', 'Refused'],
	st_returned: ['Đã trả về', '已退回', 'Returned'],
	st_cancelled: ['Đã huỷ', '已取消', 'Cancelled'],
	'ev_consignment.declared': ['Khai báo', '申报', 'Declared'],
	'ev_consignment.validated': ['Hợp lệ qua kênh chính thức', '通过官方渠道核验', 'Validated through the official channel'],
	'ev_consignment.rejected': ['Bị từ chối', '被拒绝', 'Rejected'],
	'ev_consignment.booked': ['Đặt khe giờ', '预约时段', 'Slot booked'],
	'ev_booking.changed': ['Đổi khe giờ', '更改时段', 'Booking changed'],
	'ev_booking.cancelled': ['Huỷ đặt chỗ', '取消预约', 'Booking given up'],
	'ev_booking.moved': ['Khe giờ bị chuyển (xếp lại)', '时段被调整（重新预约）', 'Slot moved (rebooked)'],
	'ev_booking.missed': ['Lỡ khe giờ', '错过时段', 'Slot missed'],
	'ev_booking.released': ['Khe giờ bị trả lại: không còn khe kịp hạn', '时段被释放：期限前已无空位', 'Slot released: none left in time'],
	'ev_consignment.checked_in': ['Vào bãi chờ', '进入停车场', 'Checked in at the yard'],
	'ev_consignment.at_risk': ['Có nguy cơ hỏng', '有变质风险', 'At risk of spoiling'],
	'ev_consignment.called': ['Được gọi tiến lên', '被叫前行', 'Called forward'],
	by: ['bởi {who}', '由 {who}', 'by {who}'],
	// simulation
	sim_title: ['Mô phỏng chính sách', '政策模拟', 'Policy simulation'],
	sim_lead: ['Chạy một kịch bản mùa vụ với các chính sách đã chọn và so sánh chúng.', '按所选政策运行收获季情景并进行比较。', 'Run a harvest-season scenario under the chosen policies and compare them.'],
	scenario: ['Kịch bản', '情景', 'Scenario'],
	policies: ['Chính sách', '政策', 'Policies'],
	replications: ['Số lần lặp', '重复次数', 'Replications'],
	seed: ['Hạt giống ngẫu nhiên', '随机种子', 'Seed'],
	run: ['Chạy mô phỏng', '运行模拟', 'Run simulation'],
	sim_need_planner: ['Cần mã của người hoạch định để chạy mô phỏng.', '需要规划人员的令牌才能运行模拟。', 'A planner\u2019s token is needed to run a simulation.'],
	sim_status_queued: ['Đang xếp hàng', '排队中', 'Queued'],
	sim_status_running: ['Đang chạy', '运行中', 'Running'],
	sim_status_done: ['Hoàn tất', '已完成', 'Done'],
	sim_status_failed: ['Thất bại', '失败', 'Failed'],
	progress: ['{done} / {total} lượt chạy', '{done} / {total} 次运行', '{done} of {total} runs'],
	days: ['{n} ngày', '{n} 天', '{n} days'],
	at_gate: ['Cửa khẩu', '口岸', 'Gate'],
	all_gates: ['Toàn tuyến biên giới', '整个边境', 'The whole border'],
	chart_wait: ['Thời gian chờ tại bãi (giờ)', '停车场等待时间（小时）', 'Waiting time in the yard (hours)'],
	chart_wait_lead: ['Trung bình, trung vị (p50), p90 và p99 theo chính sách; vạch là khoảng tin cậy 95% của trung bình.', '各政策的平均值、中位数 (p50)、p90 和 p99；误差线为平均值的 95% 置信区间。', 'Mean, median (p50), p90 and p99 by policy; whiskers are the mean\u2019s 95% interval.'],
	chart_queue: ['Số xe trong bãi theo ngày', '每日停车场车辆数', 'Loads in the yard, day by day'],
	chart_queue_lead: ['Trung bình theo thời gian trong ngày, qua các lần lặp.', '当日时间平均值，取各次重复的平均。', 'Time-average over each day, averaged over replications.'],
	chart_spoiled: ['Giá trị hàng hỏng (USD)', '变质货值（美元）', 'Spoiled value (USD)'],
	chart_spoiled_lead: ['Trung bình và khoảng tin cậy 95%.', '平均值及 95% 置信区间。', 'Mean with its 95% interval.'],
	day_n: ['Ngày', '天', 'Day'],
	hours: ['giờ', '小时', 'hours'],
	figures: ['Số liệu', '数据', 'Figures'],
	crossings_per_day: ['Lượt qua/ngày', '每日过境', 'Crossings a day'],
	wait_mean: ['Chờ TB (giờ)', '平均等待（小时）', 'Mean wait (h)'],
	spoiled_loads: ['Lô hỏng', '变质批次', 'Spoiled loads'],
	spoiled_value: ['Giá trị hỏng (USD)', '变质货值（美元）', 'Spoiled value (USD)'],
	policy: ['Chính sách', '政策', 'Policy'],
	pick_two: ['Chọn ít nhất một chính sách.', '请至少选择一项政策。', 'Choose at least one policy.'],
	sim_previous: ['Kết quả lần chạy trước: {id}', '上次运行结果：{id}', 'Result of run {id}'],
};

const index = { vi: 0, zh: 1, en: 2 };
let current = 'en';

export function setLang(lang) {
	current = index[lang] !== undefined ? lang : 'en';
	document.documentElement.lang = current;
}

export function lang() {
	return current;
}

// The text of KEY in the current language, with {name} filled from PARAMS.
export function t(key, params) {
	const row = words[key];
	let text = row ? row[index[current]] : key;
	if (params) {
		for (const [k, v] of Object.entries(params))
			text = text.split(`{${k}}`).join(String(v));
	}
	return text;
}

// The text of KEY, or FALLBACK when the table has no such key (an event kind
// or a state this dashboard does not know yet).
export function tOr(key, fallback) {
	return words[key] ? t(key) : fallback;
}

// A name from the API's {vi, zh, en}, in the current language.
export function named(names, fallback) {
	if (!names)
		return fallback || '';
	return names[current] || names.en || fallback || '';
}

export function locale() {
	return { vi: 'vi-VN', zh: 'zh-CN', en: 'en-GB' }[current];
}
