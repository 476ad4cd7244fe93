"""~50 demo coordination meetings of every kind and in every state, with minutes drawn
from the seeds' situations (跨部门沟通协调记录表 [001], kickoff [002]).

Like the demo requests, each meeting is replayed through the real services at moments in
the past (``Replay.at``): draft, notice (a few late, with the reason), reschedule or
cancellation, "held", the minutes, their circulation, confirmations and objections, the
revision, the heads' sign-off and the archive; then the owners' reports on the action
items. A story whose next step would happen after the real "now" stops where it is.
The meetings run after the demo requests (two are linked to one), so they end with their
own deadline sweep at the real "now".
"""

from __future__ import annotations

import random
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from crossdesk.collaboration.choices import RequestStatus
from crossdesk.collaboration.models import Request
from crossdesk.core.errors import ApplicationError
from crossdesk.deadlines.services import sweep
from crossdesk.meetings import services
from crossdesk.meetings.choices import ActionStatus, MeetingKind, NextStep
from crossdesk.meetings.models import ActionItem, Meeting
from crossdesk.org.models import Department, Person

from .replay import Replay, StoryReachesTheFuture
from .requests import CITIES, CUSTOMERS, PRODUCTS

K = MeetingKind
EVALUATE, NEXT_MEETING = NextStep.EVALUATE.value, NextStep.NEXT_MEETING.value


@dataclass(frozen=True)
class Item:
    action: str
    department: str  # the owner's department
    days: int  # working days after the minutes are circulated
    support: str = ""
    support_department: str = ""


@dataclass(frozen=True)
class Disagreement:
    topic: str
    views: tuple[tuple[str, str], ...]  # (department code, position)
    next_step: str
    note: str


@dataclass(frozen=True)
class Template:
    kind: str
    initiator: str
    participants: tuple[str, ...]
    title: str
    background: str
    goal: str
    agenda: tuple[tuple[str, str, int], ...]  # topic, presenter, minutes
    discussion: tuple[tuple[str, str], ...]  # topic, what was said
    disagreements: tuple[Disagreement, ...]
    consensus: tuple[str, ...]
    items: tuple[Item, ...]
    objection: tuple[str, str, str]  # department, objection, what the revision adds
    related: str = ""
    request_hint: str = ""  # a demo request whose title contains this may be linked


TEMPLATES = [
    # 0 新品上市: market, R&D, production [001]
    Template(K.KICKOFF, "MKT", ("RD", "PRD", "SAL", "CS"), "新品{product}上市项目启动会",
             "{product}计划于下季度上市，涉及研发定型、量产爬坡与渠道铺货，由市场部牵头跨部门推进。",
             "对齐上市目标与里程碑，明确研发、生产、销售、客服各部门职责分工、时间节点与资源需求，约定沟通机制。",
             (("协作背景与上市目标宣讲", "市场部", 15), ("部门职责初步讨论", "各部门", 30),
              ("时间节点与资源需求确认", "研发部、生产部", 30), ("沟通机制约定", "市场部", 10)),
             (("上市目标与里程碑", "市场部介绍上市目标：首月销量2万台，线上线下同步首发。研发部确认设计冻结节点为下月10日，生产部提出试产至少需要3周。"),
              ("资源与分工", "销售部需提前4周拿到样机用于渠道培训；客服部需在上市前2周完成知识库与话术准备。"),
              ("沟通机制", "约定每周一10:00召开周例会，日常进度在项目群同步，重大风险召开专项沟通会。")),
             (Disagreement("上市时间", (("RD", "关键芯片认证尚未完成，建议上市推迟2周，避免量产返工。"),
                                        ("MKT", "渠道档期已锁定，推迟将错过促销窗口，建议按原计划并行推进认证。")),
                           EVALUATE, "研发部3个工作日内提交认证风险评估，再决定是否调整上市时间。"),),
             ("上市目标与里程碑以本次会议确认的项目计划V1为准。",
              "研发部、生产部、销售部、客服部各指定1名对接负责人，避免多头对接。",
              "每周一10:00召开周例会，输出《周进度清单》。"),
             (Item("提交关键芯片认证风险评估报告", "RD", 3, "生产部提供试产排期", "PRD"),
              Item("输出试产排期与产能爬坡计划", "PRD", 5, "研发部提供BOM与工艺文件", "RD"),
              Item("制定渠道样机培训计划", "SAL", 7, "市场部提供产品卖点资料", "MKT"),
              Item("完成客服知识库与话术准备", "CS", 10, "研发部提供常见问题清单", "RD")),
             ("RD", "分歧点中研发部意见记录不完整：研发部同意并行推进认证，但要求认证未通过前不下量产订单，请补充。",
              "补充：认证未通过前不下达量产订单（研发部意见）。"),
             related="新品上市项目"),
    # 1 新品上市 weekly sync
    Template(K.REGULAR, "MKT", ("RD", "PRD", "SAL"), "新品{product}上市周例会（第{week}周）",
             "按启动会约定，每周一同步{product}上市各项任务的进度、风险与下周计划。",
             "对照《部门职责分工表》检查任务完成情况，识别逾期与阻塞事项并确定应对措施。",
             (("上周行动项完成情况", "市场部", 15), ("研发与试产进度", "研发部、生产部", 20),
              ("渠道准备与风险事项", "销售部", 15)),
             (("研发与试产进度", "研发部完成第二轮样机测试，续航指标达标；生产部试产良率92%，低于95%的目标，主要问题为外壳装配间隙。"),
              ("渠道准备", "销售部已完成华东、华南区域渠道培训，其余区域待样机到位后开展。"),
              ("风险事项", "包装材料供应商交期延后5天，可能影响首批铺货。")),
             (Disagreement("首批铺货数量", (("SAL", "首批按2万台准备，保证各渠道不断货。"),
                                          ("PRD", "良率稳定前建议首批1.2万台，避免返工形成库存。")),
                           NEXT_MEETING, "下周例会根据最新良率数据再定。"),),
             ("生产部本周内完成外壳装配工艺调整，良率目标95%。",
              "市场部联系备选包装供应商，首批铺货不受影响。"),
             (Item("完成外壳装配工艺调整并复测良率", "PRD", 4, "研发部提供结构公差数据", "RD"),
              Item("确认备选包装供应商及交期", "MKT", 3, "财务部审核采购预算", "FIN"),
              Item("完成剩余区域渠道培训", "SAL", 8, "市场部提供培训样机", "MKT")),
             ("PRD", "试产良率应为92.4%，不良主要为外壳装配间隙与按键手感两项，请更正。",
              "更正：试产良率92.4%，不良主要为外壳装配间隙与按键手感。"),
             related="新品上市项目"),
    # 2 年度预算分配: several departments ask for the same resource [001]
    Template(K.SPECIAL, "FIN", ("MKT", "RD", "HR"), "{ny}年度预算分配协调会",
             "{ny}年度预算编制中，市场部、研发部、人力资源部均申请增加专项预算，申请总额超出可分配额度约800万元。",
             "平衡各部门需求，明确资源分配规则、分配结果与使用责任。",
             (("各部门预算申请说明", "各部门", 30), ("分配规则讨论", "财务部", 20), ("分配方案确认", "财务部", 20)),
             (("预算申请说明", "市场部申请品牌投放预算增加30%；研发部申请新增测试环境与云资源预算；人力资源部申请校招及培训预算。"),
              ("分配规则", "财务部提出按战略优先级与上年预算执行率分配：执行率低于80%的部门新增额度减半。")),
             (Disagreement("云资源预算归属", (("RD", "云资源为研发测试专用，应列入研发部预算。"),
                                            ("FIN", "云资源应由技术部统一采购、统一分摊，避免重复建设。")),
                           EVALUATE, "财务部会同技术部评估统一采购方案。"),
              Disagreement("市场投放增幅", (("MKT", "新品上市需要加大投放，增幅30%是底线。"),
                                          ("FIN", "公司整体费用率受限，建议增幅控制在15%，按季度根据ROI追加。")),
                           NEXT_MEETING, "市场部补充投放ROI测算后下次会议再议。")),
             ("分配规则按“战略优先级+上年执行率”执行，各部门认可。",
              "人力资源部校招预算按申请额度的90%批复。",
              "各部门于下周五前按规则修订预算申请表。"),
             (Item("提交品牌投放ROI测算及修订后的预算申请", "MKT", 5, "数据运营部提供历史投放数据", "DOP"),
              Item("评估云资源统一采购及分摊方案", "FIN", 7, "技术部提供现有云资源清单", "IT"),
              Item("按90%额度修订校招及培训预算", "HR", 5)),
             ("MKT", "纪要写“市场部同意增幅15%”不准确，市场部仅同意补充ROI测算后再议，请修改。",
              "更正：市场投放增幅待市场部补充ROI测算后再议，暂不确定为15%。"),
             related="年度预算编制"),
    # 3 客户投诉: responsibility between sales, customer service and quality [001]
    Template(K.SPECIAL, "CS", ("SAL", "PRD"), "客户投诉责任界定专项沟通会（{customer}）",
             "{customer}连续两次投诉收到的产品外观划伤，并质疑销售承诺的退换货政策未兑现，投诉已升级至总经理办公室。",
             "明确问题责任部门及整改完成时间，固化改进措施与责任人。",
             (("投诉经过与客户诉求", "客服部", 10), ("问题原因分析", "生产部品控、销售部", 25),
              ("责任界定与整改措施", "各部门", 25)),
             (("问题原因分析", "品控抽检发现划伤集中在同一批次，原因为包装内衬规格变更后缓冲不足；销售部确认曾口头承诺“30天无理由换新”，超出公司政策。"),
              ("解决方案可行性", "客服部提出先为客户换新并补偿，再内部追责；生产部同意对同批次库存全检。")),
             (Disagreement("补偿费用承担", (("SAL", "客户问题源于产品质量，补偿费用应由生产部承担。"),
                                          ("PRD", "超政策承诺扩大了客户预期，费用应按责任比例分摊。")),
                           EVALUATE, "由总经理办公室根据质量分析报告裁定分摊比例。"),),
             ("24小时内为客户完成换新，由客服部回访。",
              "同批次库存全检，不合格品隔离。",
              "销售部统一对外承诺口径，超政策承诺需经部门负责人审批。"),
             (Item("为客户完成换新并回访确认", "CS", 1, "物流部安排加急配送", "LOG"),
              Item("完成同批次库存全检并出具质量分析报告", "PRD", 4, "物流部配合库存盘点", "LOG"),
              Item("发布销售承诺口径规范并组织培训", "SAL", 6, "法务部审核条款", "LEG")),
             ("SAL", "“销售部确认曾口头承诺”应改为“个别销售人员口头承诺”，请更正。",
              "更正：为个别销售人员口头承诺，非部门统一口径。"),
             related="投诉处理时效提升项目", request_hint="投诉"),
    # 4 大型活动筹备: administration, finance, IT [001]
    Template(K.SPECIAL, "MKT", ("ADM", "FIN", "IT"), "{city}品牌发布会筹备协调会",
             "市场部将于{city}举办品牌发布会，预计到场客户与媒体500人，需行政部、财务部、技术部配合支持。",
             "明确活动分工、物资与预算、现场技术保障，保证信息传递无遗漏。",
             (("活动方案与时间表", "市场部", 15), ("场地物资与后勤", "行政部", 15), ("预算与付款节点", "财务部", 15),
              ("直播与现场网络保障", "技术部", 15)),
             (("场地与物资", "行政部已锁定会展中心B厅，需在活动前3天完成搭建；签到台、对讲机等物资清单已确认。"),
              ("预算与付款", "活动总预算80万元，财务部要求供应商合同签订后支付30%预付款。"),
              ("技术保障", "技术部提出现场需双线路备份，直播推流需提前2天彩排。")),
             (Disagreement("直播供应商选择", (("IT", "建议选择有大型活动经验的供应商甲，稳定性更好。"),
                                            ("FIN", "供应商甲报价高出40%，建议选择供应商乙并增加备份方案。")),
                           EVALUATE, "技术部与财务部2个工作日内联合评估后报市场部决定。"),),
             ("活动前3天完成场地搭建与设备调试。",
              "预付款按合同签订后30%执行，尾款活动后验收支付。",
              "活动当天设立现场联络群，各部门指定1名现场负责人。"),
             (Item("完成场地搭建与物资到位", "ADM", 8, "市场部提供场地布置图", "MKT"),
              Item("完成直播供应商联合评估并提交建议", "IT", 2, "财务部提供报价比对", "FIN"),
              Item("完成供应商合同付款审批", "FIN", 4, "法务部审核合同", "LEG")),
             ("IT", "直播彩排时间应为活动前2天下午，且需行政部保证现场独立供电，请补充。",
              "补充：直播彩排安排在活动前2天下午，行政部保证现场独立供电。"),
             related="品牌发布会"),
    # 5 报销流程优化 review
    Template(K.REVIEW, "FIN", ("IT", "HR", "ADM"), "报销流程优化方案评审会",
             "现行纸质报销平均耗时7个工作日，员工满意度低。财务部提出在OA中实现电子发票自动校验与线上审批。",
             "评审报销流程优化方案，确定系统改造范围、差旅标准调整与上线时间表。",
             (("优化方案介绍", "财务部", 20), ("系统改造可行性", "技术部", 20), ("差旅标准与制度衔接", "人力资源部", 15)),
             (("方案介绍", "审批环节由5级压缩为3级，单笔5000元以下由部门负责人终审；电子发票自动验真查重。"),
              ("系统改造", "技术部评估OA改造工作量约15人日，需对接税务发票查验接口。"),
              ("制度衔接", "人力资源部需同步修订差旅标准，行政部负责过渡期纸质单据收单。")),
             (Disagreement("上线时间", (("IT", "接口联调需2周，建议下月中旬上线。"),
                                      ("FIN", "季度末报销高峰前必须上线，建议先上线审批流程，验真功能二期上线。")),
                           EVALUATE, "技术部评估分期上线方案。"),),
             ("方案原则通过，审批层级压缩为3级。", "过渡期1个月内纸质与线上并行。"),
             (Item("提交OA报销流程改造分期实施计划", "IT", 3, "财务部提供审批规则明细", "FIN"),
              Item("修订并发布新版差旅标准", "HR", 7, "财务部确认费用标准", "FIN"),
              Item("制定过渡期纸质单据收单安排", "ADM", 4)),
             ("HR", "差旅标准的发布时间应与新流程上线同步，而非会后7天，请修改。",
              "修订：差旅标准与新流程同步发布。"),
             related="财务报销流程优化"),
    # 6 数据模板统一 review
    Template(K.REVIEW, "DOP", ("MKT", "SAL", "FIN"), "经营数据模板统一评审会（{q}）",
             "市场、销售、财务三部门月报口径不一致，无法整合成经营看板，数据运营部起草了统一模板V2。",
             "评审统一数据模板，明确指标口径、提交时间与责任人。",
             (("模板V2说明", "数据运营部", 20), ("指标口径逐项确认", "各部门", 30), ("提交机制", "数据运营部", 10)),
             (("指标口径", "“销售额”统一为含税口径；“新客户”定义为首次下单客户；市场线索以CRM登记为准。"),
              ("提交机制", "各部门每月5日前按模板提交上月数据，数据运营部8日前发布经营看板。")),
             (Disagreement("收入确认口径", (("SAL", "按签约金额统计，反映销售业绩。"),
                                          ("FIN", "按开票确认收入，与财务报表一致。")),
                           NEXT_MEETING, "看板暂时同时展示两种口径，下次会议确定主口径。"),),
             ("模板V2除收入口径外全部确认。", "各部门指定1名数据对接人。"),
             (Item("发布统一数据模板V2正式版及填报说明", "DOP", 3),
              Item("按新模板补报上月市场数据", "MKT", 5, "数据运营部提供填报指导", "DOP"),
              Item("梳理签约与开票口径差异明细", "FIN", 6, "销售部提供签约台账", "SAL")),
             ("FIN", "“销售额统一为含税口径”需注明财务报表仍按不含税口径，请补充。",
              "补充：财务报表仍按不含税口径，看板中单独注明。"),
             related="经营数据看板建设"),
    # 7 智能客服系统 kickoff [002]
    Template(K.KICKOFF, "CS", ("IT", "RD", "DOP"), "智能客服系统项目启动会",
             "客服热线高峰期接通率仅68%，公司立项建设智能客服系统，实现常见问题自动应答与工单自动分派。",
             "对齐项目目标（高峰接通率提升至90%、常见问题自助解决率40%），明确各部门职责、里程碑与沟通机制。",
             (("项目背景与目标", "客服部", 15), ("部门职责与接口", "技术部、研发部", 30),
              ("里程碑与资源需求", "各部门", 20), ("沟通机制", "客服部", 10)),
             (("目标与范围", "一期覆盖热线与在线客服，二期接入微信公众号；知识库首批整理300条常见问题。"),
              ("职责与接口", "技术部负责系统部署与对接呼叫中心，研发部负责工单系统接口改造，数据运营部负责历史工单数据清洗与意图分类。"),
              ("沟通机制", "每周三召开项目例会，问题在项目群实时同步，风险事项召开专项沟通会。")),
             (Disagreement("部署方式", (("IT", "建议私有化部署，客户数据不出公司。"),
                                      ("RD", "建议采用云服务，上线快、维护成本低。")),
                           EVALUATE, "技术部会同法务部评估数据合规要求后决定。"),),
             ("一期上线目标为下季度初。", "客服部为项目发起方，技术部为实施牵头部门。",
              "会后24小时内发布启动会纪要并建立项目群。"),
             (Item("整理首批300条常见问题知识库", "CS", 10, "研发部提供产品FAQ", "RD"),
              Item("完成部署方式与数据合规评估", "IT", 5, "法务部提供合规意见", "LEG"),
              Item("完成历史工单数据清洗与意图分类", "DOP", 8, "客服部提供近一年工单导出", "CS")),
             ("RD", "工单系统接口改造的完成节点未写明，应为知识库整理完成后1周内，请补充。",
              "补充：工单接口改造在知识库整理完成后1周内完成。"),
             related="智能客服系统"),
    # 8 投诉处理时长 weekly sync [002]
    Template(K.REGULAR, "CS", ("PRD", "LOG", "SAL"), "投诉处理时效提升周例会（第{week}周）",
             "为将客户投诉平均处理时长由52小时缩短至24小时，各部门每周同步投诉处理数据与改进措施。",
             "检查上周投诉闭环情况，识别超时投诉原因并落实改进。",
             (("上周投诉数据", "客服部", 10), ("超时投诉原因分析", "各部门", 20), ("改进措施跟进", "客服部", 15)),
             (("投诉数据", "上周受理投诉126件，平均处理时长31小时，24小时内闭环率71%，较前一周提升9个百分点。"),
              ("超时原因", "超时投诉主要集中在物流破损（占45%）与质量鉴定（占30%），物流理赔流程需3个环节审批。")),
             (Disagreement("物流破损先行赔付", (("CS", "建议客服部对500元以下破损投诉先行赔付，事后与物流部结算。"),
                                              ("LOG", "先行赔付可能被恶意利用，建议保留拍照核验环节。")),
                           NEXT_MEETING, "客服部拟定先行赔付细则，下次例会讨论。"),),
             ("质量鉴定由生产部品控在24小时内给出结论。", "客服部每日10点前汇总投诉清单并分派。"),
             (Item("拟定小额破损先行赔付细则（草案）", "CS", 4, "财务部确认赔付额度", "FIN"),
              Item("简化物流理赔审批为2个环节", "LOG", 6),
              Item("建立质量鉴定24小时响应机制", "PRD", 5, "客服部提供鉴定需求模板", "CS")),
             ("LOG", "物流破损占比应为41%，45%为包含错发的数据，请更正。", "更正：物流破损占比41%（不含错发）。"),
             related="投诉处理时效提升项目", request_hint="投诉处理时长"),
    # 9 新品上市 retrospective
    Template(K.RETROSPECTIVE, "MKT", ("RD", "PRD", "SAL", "CS"), "新品{product}上市复盘会",
             "{product}已上市满一个月，首月销量1.7万台，完成目标的85%。",
             "复盘上市全过程，总结经验与问题，形成改进措施纳入下一款产品的上市流程。",
             (("上市结果回顾", "市场部", 15), ("各环节问题复盘", "各部门", 40), ("改进措施", "市场部", 15)),
             (("结果回顾", "线上渠道完成目标的104%，线下渠道仅完成62%，主要原因为线下铺货晚于计划10天。"),
              ("问题复盘", "试产良率爬坡慢导致首批交付延迟；客服知识库上线前未经一线演练，首周咨询转人工率高。"),
              ("经验", "周例会机制有效，风险平均提前1周暴露。")),
             (Disagreement("线下铺货延迟主因", (("SAL", "主因是生产交付延迟。"),
                                              ("PRD", "销售部首批订单数量两次变更，导致排产调整。")),
                           EVALUATE, "市场部梳理订单与排产时间线后确认。"),),
             ("周例会与风险清单机制保留并纳入上市流程模板。", "下一款产品试产阶段增加1周缓冲。",
              "客服知识库上线前必须组织一线演练。"),
             (Item("梳理订单变更与排产时间线并输出复盘报告", "MKT", 5, "生产部提供排产原始记录", "PRD"),
              Item("更新新品上市流程模板（增加试产缓冲与演练环节）", "RD", 10, "市场部提供复盘结论", "MKT"),
              Item("组织客服知识库一线演练并制定标准", "CS", 8)),
             ("SAL", "需记录销售部提出的“订单变更源于渠道需求变化”这一背景，请补充。",
              "补充：线下订单变更源于渠道需求变化（销售部意见）。"),
             related="新品上市项目"),
    # 10 大型活动 retrospective
    Template(K.RETROSPECTIVE, "MKT", ("ADM", "FIN", "IT"), "{city}品牌发布会活动复盘会",
             "{city}品牌发布会已于上周举办，到场客户与媒体486人，直播观看12万人次。",
             "总结活动筹备与执行中的问题，形成大型活动协作清单。",
             (("活动效果回顾", "市场部", 10), ("筹备与现场问题复盘", "各部门", 30), ("改进清单", "市场部", 15)),
             (("效果回顾", "到场率97%，新增销售线索320条，活动费用实际支出76万元，节约4万元。"),
              ("问题复盘", "签到环节排队超过20分钟；直播开场5分钟网络抖动；部分供应商发票晚于结算节点。")),
             (Disagreement("签到系统", (("ADM", "建议下次采购专业签到系统。"),
                                      ("IT", "可用现有OA扩展二维码签到，无需采购。")),
                           EVALUATE, "技术部评估OA扩展的工作量。"),),
             ("形成《大型活动协作清单》，纳入行政、财务、技术各自的检查项。", "供应商合同中明确发票提交时限。"),
             (Item("编制《大型活动协作清单》", "MKT", 6, "行政部提供检查项", "ADM"),
              Item("评估OA扩展二维码签到方案", "IT", 5),
              Item("修订活动供应商合同模板的发票条款", "FIN", 8, "法务部审核", "LEG")),
             ("ADM", "签到排队原因应补充“现场仅设2个签到台”，并非仅是系统问题。",
              "补充：现场仅设2个签到台，是排队的主要原因之一。"),
             related="品牌发布会"),
    # 11 智能客服系统 requirements review
    Template(K.REVIEW, "IT", ("CS", "RD", "DOP"), "智能客服系统需求评审会",
             "智能客服系统一期需求说明书已完成，共42项功能需求。",
             "逐项评审一期需求，确定优先级与范围，冻结需求基线。",
             (("需求说明书讲解", "技术部", 30), ("优先级评审", "客服部、研发部", 30), ("需求基线确认", "技术部", 10)),
             (("需求范围", "42项需求中P0共18项（自动应答、工单分派、转人工），P1共16项，P2共8项延至二期。"),
              ("接口需求", "工单系统需新增3个接口，研发部评估工作量约8人日。")),
             (Disagreement("情绪识别功能优先级", (("CS", "情绪识别可及时发现投诉风险，应列为P0。"),
                                                ("IT", "模型准确率待验证，建议列为P1，一期先做关键词预警。")),
                           EVALUATE, "数据运营部用历史录音样本测试准确率后决定。"),),
             ("一期需求基线为P0共18项、P1共16项。", "需求变更须经变更评审，由技术部记录。"),
             (Item("发布一期需求基线文档V1.0", "IT", 2),
              Item("用历史录音样本测试情绪识别准确率", "DOP", 7, "客服部提供录音样本", "CS"),
              Item("完成工单系统3个新增接口开发", "RD", 10, "技术部提供接口规范", "IT")),
             ("CS", "P0需求中“转人工”应包含“指定坐席转接”，纪要遗漏，请补充。", "补充：P0“转人工”包含指定坐席转接。"),
             related="智能客服系统"),
    # 12 投诉处理时长缩短到24小时 kickoff [002]
    Template(K.KICKOFF, "CS", ("RD", "IT", "LEG"), "“投诉处理时长缩短至24小时”协作启动会",
             "{q}客户投诉平均处理时长为52小时，客户满意度评分3.9分。公司要求季度末实现80%的投诉在24小时内闭环。",
             "宣讲协作目标（80%投诉24小时内闭环，满意度提升至4.5分），明确客服、研发、技术、法务各自职责与时间节点。",
             (("协作背景与目标宣讲", "客服部", 10), ("部门职责初步讨论", "各部门", 25),
              ("时间节点与资源需求确认", "各部门", 20), ("沟通机制约定", "客服部", 10)),
             (("目标拆解", "客服部每日10点前完成投诉分类；技术部接到需求后24小时内输出技术问题结论；研发部3天内提交产品缺陷优化方案；法务部对涉法投诉给出合规建议。"),
              ("资源需求", "客服部需要工单系统增加超时预警；技术部需增加1名夜间值班人员。")),
             (Disagreement("夜间值班", (("IT", "现有人员无法覆盖夜间，需新增编制。"),
                                      ("CS", "建议先以轮值方式试行1个月，再评估编制。")),
                           NEXT_MEETING, "试行1个月后在例会评估。"),),
             ("各部门指定1名对接负责人，避免多人对接。", "进度同步用即时通讯群，问题决策用周例会，风险用专项沟通会。",
              "启动会纪要24小时内输出，经各部门负责人确认后存档。"),
             (Item("输出《部门职责分工表》", "CS", 3, "研发部确认职责边界", "RD"),
              Item("工单系统增加24小时超时预警", "IT", 8, "客服部提供预警规则", "CS"),
              Item("制定涉法投诉处理指引", "LEG", 7, "客服部提供典型案例", "CS")),
             ("IT", "技术部“24小时内输出结论”应注明按工作时间计算，节假日顺延，请修改。",
              "修订：技术部响应时限按工作时间计算，节假日顺延。"),
             related="投诉处理时效提升项目"),
    # 13 报销流程优化 retrospective
    Template(K.RETROSPECTIVE, "FIN", ("IT", "HR", "ADM"), "报销流程优化上线复盘会",
             "新报销流程上线运行一个月，平均审批时长由7个工作日降至3个工作日。",
             "复盘上线效果与问题，确定二期优化事项。",
             (("上线数据回顾", "财务部", 15), ("问题与用户反馈", "各部门", 25), ("二期优化事项", "技术部", 15)),
             (("上线数据", "线上报销占比93%，电子发票验真拦截疑似重复报销17笔，金额2.3万元。"),
              ("用户反馈", "员工反映移动端上传发票易失败；部门负责人审批提醒不及时。")),
             (Disagreement("审批提醒方式", (("IT", "增加企业微信推送即可。"),
                                          ("HR", "建议超过2天未审批自动升级至上级。")),
                           EVALUATE, "技术部评估自动升级对审批权限的影响。"),),
             ("二期优化：移动端上传优化、审批提醒推送。", "纸质报销通道于月底关闭。"),
             (Item("修复移动端发票上传失败问题", "IT", 5, "财务部提供失败样例", "FIN"),
              Item("发布纸质报销通道关闭通知", "ADM", 2),
              Item("统计各部门审批时长并通报", "FIN", 6, "人力资源部提供组织架构", "HR")),
             ("HR", "“重复报销17笔”为疑似数量，经核实为12笔，请更正。", "更正：经核实重复报销12笔（疑似17笔）。"),
             related="财务报销流程优化"),
]  # fmt: skip

# (template, how far the story goes, the meeting's working day relative to today, flags)
# Flags: "late" notice with a reason, "revised" minutes (objection, revision, version 2),
# "moved" (rescheduled once), "request" (linked to a demo collaboration request).
PLAN: list[tuple[int, str, int, set[str]]] = [
    (0, "archived", -62, set()), (7, "archived", -60, set()), (2, "archived", -58, set()),
    (4, "archived", -55, set()), (5, "archived", -52, {"revised"}), (6, "archived", -47, set()),
    (10, "archived", -44, set()), (13, "archived", -42, {"late"}),
    (1, "signed", -38, set()), (3, "signed", -35, {"late", "request"}), (8, "signed", -33, set()),
    (9, "signed", -30, set()), (11, "signed", -28, {"revised"}), (12, "signed", -26, set()),
    (1, "signed", -24, {"moved"}), (8, "signed", -22, {"revised"}), (5, "signed", -20, set()),
    (2, "signed", -18, set()),
    (5, "cancelled", -15, {"notified"}),
    (6, "confirmed", -12, set()), (3, "confirmed", -10, set()), (1, "confirmed", -9, {"revised"}),
    (13, "confirmed", -8, set()),
    (2, "cancelled", -6, set()),
    (2, "revising", -5, set()), (7, "revising", -4, set()), (11, "objected", -4, set()),
    (9, "objected", -3, set()),
    (8, "circulated", -3, set()), (12, "circulated", -3, set()), (4, "circulated", -2, {"late"}),
    (10, "minutes_drafting", -2, set()), (5, "minutes_drafting", -2, set()), (1, "minutes_drafting", -1, set()),
    (3, "held", -1, {"late"}), (8, "held", -1, {"request"}),
    (1, "notified", 1, {"late"}), (8, "notified", 2, {"late"}), (6, "cancelled", 3, {"notified"}),
    (6, "notified", 4, set()), (11, "notified", 5, set()), (0, "notified", 6, set()),
    (12, "notified", 7, {"moved"}), (4, "notified", 8, set()), (9, "notified", 10, set()),
    (3, "draft", 5, set()), (11, "cancelled", 7, set()), (10, "draft", 9, set()), (13, "draft", 9, set()),
    (7, "draft", 10, set()),
]  # fmt: skip

ITEM_FATES = ["done", "done_late", "in_progress", "delayed_new_due", "delayed", "not_started", "cancelled"]
ITEM_WEIGHTS = [34, 8, 20, 12, 10, 13, 3]
PLACES = ["总部A座3楼第一会议室", "总部B座5楼大会议室", "研发中心2楼评审室", "生产基地行政楼会议室"]
LATE_REASONS = [
    "客户投诉已升级至总经理办公室，需尽快协调处理。",
    "供应商交期临时变化，需在本周内对齐排产计划。",
    "总经理办公室要求本周内完成评审，无法提前3个工作日通知。",
]
MOVE_REASONS = ["与客户拜访时间冲突，会议顺延一个工作日。", "主要参会人临时出差，会议顺延一个工作日。"]
CANCEL_REASONS = [
    "议题已在项目群中协调解决，无需再开会。",
    "议题并入下周例会统一讨论。",
    "主要参会部门负责人出差，会议取消，另行通知。",
]
PROGRESS_NOTES = [
    "已启动，正在与相关部门对接资料。",
    "已完成初稿，正在与相关部门核对。",
    "完成约60%，预计按期完成。",
]
DELAY_REASONS = [
    "{support}资料晚到3个工作日，需要顺延。",
    "供应商反馈交期延长，等待对方确认新的时间。",
    "期间处理突发客户投诉，人手不足，进度滞后。",
    "评审中发现新问题，需补充测试后再提交。",
]
RESULTS = [
    "已按要求完成，成果文件已上传共享目录并反馈发起方。",
    "已完成并通过评审，相关部门已按新方案执行。",
    "已完成，执行结果已在项目群同步，发起方确认无误。",
]


def demo_meetings_exist() -> bool:
    return Meeting.objects.exists()


@dataclass
class Story:
    index: int
    template: Template
    fate: str
    day: date
    flags: set[str]
    seed: int
    start: datetime
    created: datetime


class MeetingReplay(Replay):
    def today(self) -> date:
        return self.calendar.local_date(self.now)

    def plan(self, index: int, template: int, fate: str, offset: int, flags: set[str]) -> Story:
        """When the meeting is, and when its initiator starts the draft and sends the notice."""
        rng = random.Random(20261121 + index)
        day = self.working_day(self.today(), offset)
        hour, minute = rng.choice([(9, 30), (10, 0), (14, 0), (15, 0), (16, 0)])
        start = self.local(day, hour, minute)
        if offset > 0 and (fate == "draft" or (fate == "cancelled" and "notified" not in flags)):
            lead = offset + rng.randint(1, 4)  # drafted a few days ago, not yet sent
        else:
            lead = rng.randint(1, 2) if "late" in flags else rng.randint(4, 6)
        created_day = self.working_day(day, -lead)
        if created_day >= self.today():
            created_day = self.working_day(self.today(), -1)
        created = self.local(created_day, 9, rng.randint(5, 50))
        return Story(index, TEMPLATES[template], fate, day, flags, 20261121 + index, start, created)

    # --- helpers ----------------------------------------------------------------------

    def fill(self, text: str, values: dict) -> str:
        return text.format(**values)

    def due(self, after: datetime, days: int) -> datetime:
        return self.local(self.working_day(self.calendar.local_date(after), days), 18)

    def between(self, a: datetime, b: datetime, u: float) -> datetime:
        return self.calendar.next_working_time(a + (b - a) * u)

    def linked_request(self, hint: str, before: datetime) -> Request | None:
        return (
            Request.objects.filter(title__contains=hint, created_at__lt=before)
            .exclude(status__in=[RequestStatus.DRAFT, RequestStatus.CANCELLED])
            .order_by("-created_at")
            .first()
        )

    # --- one meeting --------------------------------------------------------------------

    def play(self, story: Story) -> None:
        rng = self.rng = random.Random(story.seed)
        t, fate = story.template, story.fate
        start = story.start
        values = {
            "product": rng.choice(PRODUCTS),
            "city": rng.choice(CITIES),
            "customer": rng.choice(CUSTOMERS),
            "week": start.isocalendar().week,
            "q": f"{start.year}年Q{(start.month - 1) // 3 + 1}",
            "ny": start.year + 1,
        }
        request = None
        if "request" in story.flags and t.request_hint:
            request = self.linked_request(t.request_hint, story.created)
        if request is not None:
            initiator = request.initiator
        elif t.initiator == "MKT" and rng.random() < 0.6:
            initiator = Person.objects.get(user__username="zhangwei")
        elif t.initiator == "CS" and rng.random() < 0.6:
            initiator = Person.objects.get(user__username="lina")
        else:
            initiator = self.member(t.initiator)
        recorder = self.member(t.initiator, exclude={initiator.pk})
        seen = {initiator.pk, recorder.pk}
        invited: dict[str, list[Person]] = {t.initiator: [initiator, recorder]}
        representative: dict[str, Person] = {t.initiator: initiator}
        for code in t.participants:
            rep = self.liaison(code)
            if rep.pk in seen or not rep.user_id:
                rep = self.member(code, exclude=seen)
            seen.add(rep.pk)
            people = [rep]
            if rng.random() < 0.6:
                extra = self.member(code, exclude=seen)
                seen.add(extra.pk)
                people.append(extra)
            invited[code], representative[code] = people, rep
        duration = rng.choice([60, 90, 90, 120])
        end = start + timedelta(minutes=duration)
        data = {
            "kind": t.kind,
            "title": self.fill(t.title, values),
            "starts_at": start,
            "ends_at": end,
            "initiating_department": t.initiator,
            "recorder": recorder.pk,
            "background": self.fill(t.background, values),
            "goal": t.goal,
            "agenda": [{"topic": a, "presenter": p, "duration": m} for a, p, m in t.agenda],
            "related_matter": (request.related_matter if request else "") or t.related,
            "participants": [
                {
                    "department": code,
                    "people": [p.pk for p in people],
                    "representative": representative[code].pk,
                }
                for code, people in invited.items()
            ],
        }
        if rng.random() < 0.35:
            data |= {
                "online_platform": "腾讯会议",
                "online_meeting_id": f"{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                "online_link": f"https://meeting.tencent.com/dm/{rng.randrange(16**10):010x}",
            }
        else:
            data["place"] = rng.choice(PLACES)
        if request is not None:
            data["request"] = request.pk
        if fate == "draft" and rng.random() < 0.5:
            data["agenda"] = data["agenda"][:1]  # still being prepared
        actor = initiator.user
        with self.at(story.created):
            meeting = services.meeting_create_draft(actor=actor, data=data)
        if fate == "draft":
            return
        if fate == "cancelled" and "notified" not in story.flags:
            with self.at(self.working_moment(story.created, rng.uniform(2, 6))):
                services.meeting_cancel(actor=actor, meeting_id=meeting.pk, reason=rng.choice(CANCEL_REASONS))
            return
        noticed = story.created + timedelta(minutes=rng.randint(20, 90))
        with self.at(noticed):
            services.meeting_send_notice(
                actor=actor, meeting_id=meeting.pk, late_reason=rng.choice(LATE_REASONS)
            )
        if "moved" in story.flags:
            start = self.local(self.working_day(story.day, 1), start.hour, start.minute)
            end = start + timedelta(minutes=duration)
            with self.at(self.working_moment(noticed, 2)):
                services.meeting_reschedule(
                    actor=actor,
                    meeting_id=meeting.pk,
                    reason=rng.choice(MOVE_REASONS),
                    starts_at=start,
                    ends_at=end,
                )
        if fate == "cancelled":
            with self.at(self.working_moment(noticed, rng.uniform(1, 3))):
                services.meeting_cancel(actor=actor, meeting_id=meeting.pk, reason=rng.choice(CANCEL_REASONS))
            return
        if fate == "notified":
            return
        with self.at(start + timedelta(minutes=rng.randint(0, 5))):
            services.meeting_mark_held(actor=recorder.user, meeting_id=meeting.pk)
        if fate == "held":
            return
        writer = recorder.user
        if fate == "minutes_drafting":
            with self.at(end + timedelta(minutes=rng.randint(10, 40))):
                services.minutes_save(
                    actor=writer,
                    meeting_id=meeting.pk,
                    data={
                        "discussion": [{"topic": a, "points": b} for a, b in t.discussion],
                        "consensus": list(t.consensus[:1]),
                        "action_items": [
                            {"action": i.action, "owner": representative[i.department].pk}
                            for i in t.items[:2]
                        ],
                    },
                )
            return

        # The minutes, written right after the meeting and circulated within the time rule
        # (a kickoff within 24 hours), now and then a little late.
        if t.kind == K.KICKOFF or fate in ("circulated", "objected", "revising"):
            hours = rng.uniform(1.5, 5)
        else:
            hours = rng.choice([2, 4, 6, 10, 14, 20])
        circulated = self.working_moment(end, hours)
        owners = {}
        rows = []
        for item in t.items:
            owner = rng.choice(invited[item.department])
            owners[item.action] = owner
            rows.append(
                {
                    "action": item.action,
                    "owner": owner.pk,
                    "due_at": self.due(circulated, item.days),
                    "support_needed": item.support,
                    "support_department": item.support_department or None,
                }
            )
        disagreements = [
            {
                "topic": d.topic,
                "views": [
                    {
                        "department": self.departments[code].pk,
                        "person": representative[code].pk if code in representative else None,
                        "position": position,
                    }
                    for code, position in d.views
                ],
                "next_step": d.next_step,
                "note": d.note,
            }
            for d in t.disagreements
        ]
        with self.at(end + timedelta(minutes=rng.randint(15, 60))):
            services.minutes_save(
                actor=writer,
                meeting_id=meeting.pk,
                data={
                    "discussion": [{"topic": a, "points": b} for a, b in t.discussion],
                    "disagreements": disagreements,
                    "consensus": list(t.consensus),
                    "action_items": rows,
                },
            )
        with self.at(circulated):
            services.minutes_circulate(actor=writer, meeting_id=meeting.pk)
        items = list(ActionItem.objects.filter(meeting=meeting).order_by("position"))
        due_of = {item.pk: item.due_at for item in items}

        # Everything after the first circulation, in time order: answers, the revision,
        # signatures, the owners' reports, the archive.
        steps: list[tuple[datetime, int, object]] = []

        def step(moment: datetime, fn) -> None:
            steps.append((moment, len(steps), fn))

        parts = list(meeting.departments.select_related("department__head", "representative"))
        objecting = t.objection[0]
        revised = fate in ("objected", "revising") or "revised" in story.flags
        t_answers = circulated
        if revised:
            objector = next(p for p in parts if p.department.code == objecting)
            others = [p for p in parts if p is not objector]
            early = others[: rng.randint(0, len(others))]
            for part in early:
                step(self.working_moment(circulated, rng.uniform(0.3, 1.5)), self._confirm(meeting, part))
            objected_at = self.working_moment(circulated, rng.uniform(1.6, 2.5))
            step(objected_at, self._object(meeting, objector, t.objection[1]))
            if fate == "objected":
                later = [p for p in others if p not in early][:1]
                for part in later:
                    step(self.working_moment(objected_at, 0.5), self._confirm(meeting, part))
            else:
                revise_at = self.working_moment(objected_at, rng.uniform(0.5, 1.5))
                step(revise_at, lambda: services.minutes_revise(actor=writer, meeting_id=meeting.pk))
            if fate not in ("objected", "revising"):
                target = next((i for i, tpl in zip(items, t.items, strict=True)
                               if tpl.department == objecting and tpl.days >= 3), None)  # fmt: skip
                if target is not None:
                    due_of[target.pk] = self.local(
                        self.working_day(self.calendar.local_date(target.due_at), 3), 18
                    )
                saved_at = self.working_moment(revise_at, rng.uniform(0.5, 1))
                step(saved_at, self._revise(meeting, writer, t, due_of, target))
                t_answers = self.working_moment(saved_at, 0.5)
                dept = self.departments[objecting].name
                step(
                    t_answers,
                    lambda: services.minutes_circulate(
                        actor=writer, meeting_id=meeting.pk, note=f"根据{dept}意见修订。"
                    ),
                )
        if fate not in ("objected", "revising"):
            answering = parts
            if fate == "circulated":
                answering = rng.sample(parts, rng.randint(1, len(parts) - 1))
            last = t_answers
            for part in answering:
                moment = self.working_moment(t_answers, rng.uniform(0.3, 6))
                last = max(last, moment)
                step(moment, self._confirm(meeting, part))
            if fate in ("confirmed", "signed", "archived"):
                signing = parts if fate != "confirmed" else parts[: rng.randint(0, len(parts) - 1)]
                for part in signing:
                    step(self.working_moment(last, rng.uniform(0.5, 10)), self._sign(meeting, part))
        item_ends = []
        for item, tpl in zip(items, t.items, strict=True):
            if fate == "archived":
                item_fate = "done_late" if rng.random() < 0.2 else "done"
            else:
                item_fate = rng.choices(ITEM_FATES, ITEM_WEIGHTS)[0]
            item_ends.append(self._item_story(step, meeting, item, tpl, owners[tpl.action], item_fate,
                                              circulated, due_of[item.pk]))  # fmt: skip
        if fate == "archived":
            last = max([moment for moment, _n, _fn in steps] + item_ends)
            step(
                self.working_moment(last, rng.uniform(4, 20)),
                lambda: services.meeting_archive(actor=actor, meeting_id=meeting.pk),
            )
        for moment, _n, fn in sorted(steps, key=lambda s: (s[0], s[1])):
            with self.at(moment):
                fn()

    def _confirm(self, meeting: Meeting, part):
        person = part.representative
        return lambda: services.minutes_confirm(
            actor=person.user, meeting_id=meeting.pk, department_id=part.department_id
        )

    def _object(self, meeting: Meeting, part, text: str):
        person = part.representative
        return lambda: services.minutes_object(
            actor=person.user, meeting_id=meeting.pk, text=text, department_id=part.department_id
        )

    def _sign(self, meeting: Meeting, part):
        head = part.department.head
        return lambda: services.minutes_sign(
            actor=head.user, meeting_id=meeting.pk, department_id=part.department_id
        )

    def _revise(self, meeting: Meeting, writer, t: Template, due_of: dict, target):
        def revise() -> None:
            rows = [
                {
                    "id": item.pk,
                    "action": item.action,
                    "owner": item.owner_id,
                    "due_at": (
                        self.local(self.working_day(self.calendar.local_date(item.due_at), 3), 18)
                        if target is not None and item.pk == target.pk and item.status != ActionStatus.DONE
                        else item.due_at
                    ),
                    "support_needed": item.support_needed,
                    "support_department": item.support_department_id,
                }
                for item in ActionItem.objects.filter(meeting=meeting)
                .exclude(status=ActionStatus.CANCELLED)
                .order_by("position")
            ]
            services.minutes_save(
                actor=writer,
                meeting_id=meeting.pk,
                data={"consensus": [*t.consensus, t.objection[2]], "action_items": rows},
            )

        return revise

    def _item_story(self, step, meeting, item, tpl: Item, owner: Person, fate: str, active: datetime,
                    due: datetime) -> datetime:  # fmt: skip
        """The owner's reports on one action item; returns when the last one happens."""
        rng = self.rng
        user = owner.user
        support = self.departments[tpl.support_department].name if tpl.support_department else "相关部门"
        last = active
        if fate == "cancelled":
            at = self.between(active, due, 0.3)
            step(at, lambda: services.action_item_cancel(
                actor=meeting.initiator.user, item_id=item.pk, reason="需求调整，该事项并入下一阶段统一推进。"))  # fmt: skip
            return at
        if fate == "not_started":
            return last
        progress = self.between(active, due, rng.uniform(0.1, 0.3))
        note = rng.choice(PROGRESS_NOTES)
        step(progress, lambda: services.action_item_update_status(
            actor=user, item_id=item.pk, status=ActionStatus.IN_PROGRESS, note=note))  # fmt: skip
        last = progress
        if fate in ("done", "done_late"):
            finished = self.between(active, due, rng.uniform(0.5, 0.95) if rng.random() < 0.85 else 1.2)
            reported = finished if fate == "done" else self.working_moment(finished, rng.uniform(10, 20))
            result = rng.choice(RESULTS)
            step(reported, lambda: services.action_item_complete(
                actor=user, item_id=item.pk, result=result, completed_at=finished))  # fmt: skip
            return reported
        reason = rng.choice(DELAY_REASONS).format(support=support)
        if fate == "delayed_new_due":
            at = self.between(progress, due, 0.7)
            new_due = self.local(self.working_day(self.calendar.local_date(due), 5), 18)
            step(at, lambda: services.action_item_update_status(
                actor=user, item_id=item.pk, status=ActionStatus.DELAYED, reason=reason, new_due_at=new_due))  # fmt: skip
            return at
        if fate == "delayed":
            at = self.working_moment(due, rng.uniform(4, 12))  # reported after the deadline passed
            step(at, lambda: services.action_item_update_status(
                actor=user, item_id=item.pk, status=ActionStatus.DELAYED, reason=reason))  # fmt: skip
            return at
        return last


def create_demo_meetings(stdout=None) -> int:
    """Replay the demo meetings; returns how many were created."""
    departments = {
        d.code: d
        for d in Department.objects.select_related("head__user", "default_liaison__user").prefetch_related(
            "members"
        )
    }
    began = time.monotonic()
    now = timezone.now()
    replay = MeetingReplay(departments, random.Random(20261121), now)
    stories = [replay.plan(n, *entry) for n, entry in enumerate(PLAN)]
    # In the order the notices went out, so each department's numbers follow the calendar.
    stories.sort(key=lambda s: (s.created, s.index))
    created = 0
    for n, story in enumerate(stories, start=1):
        try:
            # The story's end is caught inside the transaction, so the steps taken are kept.
            with transaction.atomic(), suppress(StoryReachesTheFuture):
                replay.play(story)
            created += 1
        except ApplicationError as exc:  # a story that does not fit the calendar is skipped, loudly
            if stdout:
                stdout.write(f"  skipped demo meeting {story.index} ({story.fate}): {exc.message}")
        if stdout and n % 10 == 0:
            stdout.write(f"  … {n}/{len(stories)} 个协调会议")
    swept = sweep()
    if stdout:
        stdout.write(f"  deadline sweep: {swept} ({time.monotonic() - began:.1f} s)")
    return created
