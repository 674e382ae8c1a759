"""Mentions and entities: knowledge-base names, discovered names, aliases and references."""
from __future__ import annotations

import pytest

from graph.extract import load_kb
from graph.extract.candidates import name_rules
from graph.extract.discover import _glosses, _person_patterns
from graph.extract.kb import KBEntry, is_case_sensitive, match_key
from graph.pipeline import process
from graph.text import read_text


def entities(text: str) -> dict[str, str]:
    """key -> type of every entity the pipeline finds in `text`."""
    return {e.key: e.type for e in process(read_text(text)).entities}


def surfaces(text: str) -> dict[str, set[str]]:
    doc = process(read_text(text))
    out: dict[str, set[str]] = {}
    for m in doc.mentions:
        out.setdefault(m.entity, set()).add(doc.original_text(m.start, m.end))
    return out


def test_knowledge_base_is_broad_and_consistent():
    kb = load_kb()
    assert len(kb) >= 400
    types = {e.type for e in kb.entries.values()}
    assert {"Company", "Person", "University", "AIModel", "Software", "Product", "Dataset", "Award",
            "Concept", "Place"} <= types
    assert all(isinstance(e, KBEntry) for e in kb.entries.values())
    assert all(e.wikidata is None or e.wikidata.startswith("Q") for e in kb.entries.values())


def test_names_match_folded_and_case_insensitively():
    assert match_key("ＯｐｅｎＡＩ") == "openai"
    assert "openai" in entities("ＯｐｅｎＡＩ发布了新模型。")
    assert "meta" in entities("去年股价跌去四分之三的meta。")


def test_latin_names_respect_word_boundaries():
    found = entities("OpenAI推出了GPT-3.5。")
    assert "gpt-3-5" in found and "gpt-3" not in found
    assert "artificial-intelligence" not in found       # no "AI" inside "OpenAI"


def test_short_all_caps_names_match_only_as_written():
    assert is_case_sensitive("FAIR") and not is_case_sensitive("Meta")
    assert "fair" not in entities("The deal was fair to everyone.")
    assert "fair" in entities("Meta的FAIR实验室很有名。")


def test_weak_alias_needs_the_entity_named_otherwise():
    assert "segment-anything" not in entities("SAM的效果很好。")
    assert surfaces("Meta开源了Segment Anything Model。SAM的效果很好。")["segment-anything"] == \
        {"Segment Anything Model", "SAM"}


def test_longest_name_wins():
    assert "alibaba-cloud" in entities("阿里云发布了新服务。")
    assert "alibaba" not in entities("阿里云发布了新服务。")


def test_known_name_with_new_version_is_a_new_entity_of_its_type():
    found = entities("Meta发布了Llama 7,性能很强。")
    assert found.get("name/llama_7") == "AIModel"


def test_organization_from_suffix_and_not_generic_ones():
    found = entities("深蓝智能科技公司与一家游戏开发公司合作,这家公司很小。")
    assert found.get("name/深蓝智能科技公司") == "Company"
    assert not any("游戏开发" in key for key in found)


def test_person_after_role_word_and_before_saying_verb():
    found = entities("远航科技首席执行官张伟表示,公司会继续投入。")
    assert found.get("name/张伟") == "Person"
    assert entities("李明辉认为市场仍有机会。").get("name/李明辉") == "Person"


def test_no_person_from_words_that_only_look_like_names():
    assert not any(t == "Person" for t in entities("这位歌手明着透露,高达九成的人都知道。").values())


def test_latin_name_with_cue_word_is_typed_by_the_cue():
    found = entities("微软推出了Orca-X模型和Nova Lens眼镜。")
    assert found.get("name/orca-x") == "AIModel"
    assert found.get("name/nova_lens") == "Product"
    assert "name/whats" not in entities("WhatsApp上线了新功能。")


def test_titles_in_book_marks_are_works():
    assert entities("工信部发布了《人工智能发展白皮书》。").get("name/人工智能发展白皮书") == "CreativeWork"


def test_references_join_the_entity_they_refer_to():
    found = surfaces("腾讯发布了财报。这家公司的利润增长很快。")
    assert found["tencent"] == {"腾讯", "这家公司"}
    assert len(entities("腾讯发布了财报。这家公司的利润增长很快。")) == 1


def test_publisher_named_in_the_source_line_is_an_organization():
    doc = process(read_text("谷歌发布了新模型。\n欢迎分享,转载请注明来源:星河科技网"))
    assert doc.publisher == "星河科技网"
    assert {e.key: e.type for e in doc.entities}.get("name/星河科技网") == "Organization"


def test_foreign_name_with_original_and_later_surname_is_one_person():
    doc = process(read_text("星海公司首席财务官科莱特·克雷斯（Colette Kress）表示满意。克雷斯随后离场。"))
    [person] = [e for e in doc.entities if e.type == "Person"]
    assert {label.text for label in person.labels} == {"科莱特·克雷斯", "Colette Kress", "克雷斯"}
    assert sum(m.entity == person.key for m in doc.mentions) == 3


def test_foreign_name_after_a_title_leaves_the_title_out():
    # 主任 and 教授 end in characters no transliteration uses; 理查德 starts with one that does
    doc = process(read_text("实验室主任艾瑞克·布林约尔松（Erik Brynjolfsson）表示乐观。"
                            "该校教授伊莲娜·克拉克随后发言。总经理理查德·布兰森出席。"))
    people = {label.text for e in doc.entities if e.type == "Person" for label in e.labels}
    assert {"艾瑞克·布林约尔松", "伊莲娜·克拉克", "理查德·布兰森"} <= people
    assert not {name for name in people if name.startswith(("主任", "教授", "经理"))}


def test_latin_name_typed_by_its_descriptor_or_suffix():
    found = entities("微软向AI初创公司Inflection AI付款,聊天机器人公司Character.AI也在谈,Kestrel证券看好。")
    assert found.get("name/inflection_ai") == "Company"
    assert found.get("name/character.ai") == "Company"
    assert found.get("name/kestrel") == "Company"


def test_full_name_with_acronym_overrides_shorter_known_names():
    doc = process(read_text("美国商务部工业和安全局（BIS）升级了管制。BIS表示将继续。"))
    keys = [m.entity for m in doc.mentions]
    assert keys.count("name/美国商务部工业和安全局") == 3


def test_every_item_of_an_organization_list():
    found = entities("华为与青岚、赤骥、北辰等车企合作。")
    assert {"name/青岚", "name/赤骥", "name/北辰"} <= {k for k, t in found.items() if t == "Company"}


def test_registered_company_name_after_a_verb():
    assert "name/深圳引望智能技术有限公司" in entities("华为将成立深圳引望智能技术有限公司。")


def test_model_variants_are_entities_of_their_own():
    found = entities("DeepSeek发布了DeepSeek-R1-Zero和Qwen2.5-Max,还有Kimi k1.5。")
    assert {"name/deepseek-r1-zero", "name/qwen2.5-max", "name/kimi_k1.5"} <= set(found)
    assert "qwen" not in found


def test_short_form_of_a_model_variant():
    surface = surfaces("深度求索开源了DeepSeek-V3。V3的训练成本很低。")
    assert any({"DeepSeek-V3", "V3"} <= forms for forms in surface.values())


def test_place_right_after_an_organization_is_its_branch_not_the_place():
    assert "china" not in entities("特斯拉中国发布了销量。")


def test_generic_word_gives_way_to_a_name_around_it():
    found = entities("初创公司Character.AI的创始人加入谷歌。")
    assert "artificial-intelligence" not in found


def test_a_name_found_once_is_found_wherever_it_stands():
    found = surfaces("谷歌收购了云安全初创公司Wiz。Wiz的收入增长很快,Wizard不是它。")
    assert found["name/wiz"] == {"Wiz"}
    doc = process(read_text("谷歌收购了云安全初创公司Wiz。Wiz的收入增长很快,Wizard不是它。"))
    assert sum(m.entity == "name/wiz" for m in doc.mentions) == 2


def test_spun_name_prefers_its_restored_reading_and_traditional_keeps_its_own():
    doc = process(read_text("巨大家都说,Meta还推出了一个“3D沉建”工具,深厚度学手艺眼下很火。"))
    [tool] = [e for e in doc.entities if e.key.startswith("name/")]
    assert [l.text for l in tool.labels if l.preferred] == ["3D重建"]
    assert "3D沉建" in [l.text for l in tool.labels]
    doc = process(read_text("首席執行官張偉表示,公司會繼續投入。"))
    [person] = [e for e in doc.entities if e.type == "Person"]
    assert [l.text for l in person.labels if l.preferred] == ["張偉"]


def test_organization_named_by_a_title_or_a_listing_and_people_after_titles():
    found = entities("华登国际创始人陈立武表示。文远知行在纳斯达克上市。海川社报道称,"
                     "曾任研究副总裁的吴永辉加入字节跳动,远川国际分析师郭明錤此前估计销量下滑。")
    assert {"name/华登国际", "name/文远知行", "name/海川社", "name/远川国际"} <= {k for k, t in found.items()
                                                                       if t in ("Company", "Organization")}
    assert {k for k, t in found.items() if t == "Person"} >= {"name/吴永辉", "name/郭明𫓹"}


def test_words_around_titles_and_suffixes_are_no_names():
    found = entities("甚至连创始人马化腾都来了,开源社区很活跃,公司创始人表示满意。")
    assert not any(key.startswith("name/") and "Person" != t for key, t in found.items())


def test_latin_names_after_a_descriptor_and_edition_variants():
    found = entities("OpenAI公布了新一代推理模型o7,百度发布了第六代无人车RT6,由Lumen Capital领投。"
                     "OpenAI还推出了Sora Turbo版本和ChatGPT Pro订阅。")
    assert found.get("name/o7") == "AIModel" and found.get("name/rt6") == "Product"
    assert found.get("name/lumen_capital") == "Company"
    assert {"name/sora_turbo", "name/chatgpt_pro"} <= set(found)


def test_a_temporary_title_names_no_company():
    assert not any(t == "Company" for t in entities("米拉·穆拉蒂被任命为临时执行长。").values())


# ------------------------------------------------------------------ coverage outside AI
@pytest.mark.parametrize("text, expected", [
    ("美光与SK海力士扩产HBM,应用材料和东京电子的设备订单大增。",
     {"micron": "Company", "sk-hynix": "Company", "hbm": "Concept", "applied-materials": "Company",
      "tokyo-electron": "Company"}),
    ("联电与格芯洽谈合并,长江存储和长鑫存储加速扩产。",
     {"umc": "Company", "globalfoundries": "Company", "ymtc": "Company", "cxmt": "Company"}),
    ("据路透社和彭博社报道,凯雷集团与黑石正在竞购这家公司。",
     {"reuters": "Organization", "bloomberg": "Organization", "carlyle": "Company", "blackstone": "Company"}),
    ("《金融时报》援引知情人士称,海关总署和美国联邦通信委员会均已介入。",
     {"ft": "Organization", "gacc": "GovernmentAgency", "us-fcc": "GovernmentAgency"}),
    ("纳斯达克综合指数收涨1%,费城半导体指数大涨,公司在东京证券交易所上市。",
     {"nasdaq-composite": "Concept", "sox": "Concept", "tse": "Company"}),
    ("英伟达的Hopper架构之后是Blackwell,x86架构与Arm架构之争仍在继续。",
     {"hopper": "Product", "nvidia-blackwell": "Product", "x86": "Concept", "arm-architecture": "Concept"}),
    ("DeepMind早年的AlphaZero和Chinchilla影响深远,谷歌的T5同样如此。",
     {"alphazero": "AIModel", "chinchilla": "AIModel", "t5": "AIModel"}),
])
def test_widely_known_organizations_and_things_outside_ai(text, expected):
    found = entities(text)
    assert {key: found.get(key) for key in expected} == expected


def test_an_index_is_no_exchange():
    found = entities("纳斯达克综合指数下跌2%。")
    assert "nasdaq" not in found and found.get("nasdaq-composite") == "Concept"


@pytest.mark.parametrize("text", [
    "多家媒体联合报道了此事,并附上了征信报告。",     # 联合报, 信报
    "全世界报道了这一新思路。",                       # 世界报, 新思(科技)
    "日本银行业和美国银行业都受到冲击。",             # 日本银行, 美国银行
    "地平线上出现了新的机会。",                       # 地平线 (机器人): a weak alias only
    "The system works in real-time.",                 # Time (magazine)
])
def test_words_holding_a_known_name_name_nothing(text):
    assert not [key for key, kind in entities(text).items() if kind not in ("Concept", "Country")]


def test_short_forms_shared_by_countries_need_the_full_name():
    assert "scotus" not in entities("最高法院驳回了上诉。")
    assert entities("美国最高法院驳回了上诉,最高法院的判决立即生效。").get("scotus") == "GovernmentAgency"


# ------------------------------------------------------------------ cue-typed discovery
def test_architectures_and_features_typed_by_their_cue():
    found = entities("新一代Zen 7架构的芯片支持GameChat功能和NFC功能。")
    assert found.get("name/zen_7") == "Product" and found.get("name/gamechat") == "Software"
    assert "name/nfc" not in found


def test_a_cue_never_types_a_generic_word_of_the_knowledge_base():
    found = entities("Transformer架构和Mamba架构各有所长。")
    assert found.get("transformer") == "Concept" and found.get("mamba") == "Concept"
    assert not [key for key in found if key.startswith("name/")]


def test_every_latin_name_of_a_list_of_models():
    found = entities("Orca-X、Nova 2和Lumen Pro等主流模型都参加了评测。")
    assert {found.get(k) for k in ("name/orca-x", "name/nova_2", "name/lumen_pro")} == {"AIModel"}
    assert not [k for k, t in entities("Kestrel和Lumen等公司的模型都很强。").items() if t == "AIModel"]


def test_model_tiers_are_part_of_a_variant():
    found = entities("Claude 3.7 Sonnet和Gemini 2.5 Pro表现突出。")
    assert {"name/claude_3.7_sonnet", "name/gemini_2.5_pro"} <= set(found)


# ------------------------------------------------------------------ names (issue 14)
def _doc(text: str):
    return process(read_text(text))


def _relations(text: str) -> set[tuple[str, str, str]]:
    return {(f.subject, f.predicate, f.object) for f in _doc(text).facts if hasattr(f, "predicate")}


@pytest.mark.parametrize("dot", ["・", "‧", "•", "･"])
def test_every_name_dot_is_the_middle_dot(dot):
    assert "sam-altman" in entities(f"萨姆{dot}奥尔特曼宣布了新计划。")


def test_a_known_surname_takes_the_given_name_before_its_dot():
    doc = _doc("唐纳·特朗普周二签署了行政令。")
    [m] = [m for m in doc.mentions if m.entity == "donald-trump"]
    assert doc.text[m.start:m.end] == "唐纳·特朗普"


def test_a_known_surname_takes_the_given_name_but_not_the_role_word_before_it():
    doc = _doc("前总经理唐纳·特朗普周二签署了行政令。")
    [m] = [m for m in doc.mentions if m.entity == "donald-trump"]
    assert doc.text[m.start:m.end] == "唐纳·特朗普"


def test_a_surname_alone_is_the_full_name_found_before():
    doc = _doc("首席执行官伊莎贝拉·莫雷蒂出席了会议。莫雷蒂称,新工厂明年投产。")
    assert {m.entity for m in doc.mentions if m.type == "Person"} == {"name/伊莎贝拉·莫雷蒂"}


@pytest.mark.parametrize("text, name", [
    ("任天堂社长山田太郎在会上表示,销量很好。", "name/山田太郎"),
    ("野村证券分析师铃木健一表示,股价偏高。", "name/铃木健一"),
    ("这家公司由前高管陈维远创办。", "name/陈维远"),
    ("法国总统埃马纽埃尔·勒克莱尔出席了活动。", "name/埃马纽埃尔·勒克莱尔"),
])
def test_people_by_role_by_verb_and_japanese_names(text, name):
    assert entities(text).get(name) == "Person"


def test_a_chinese_name_with_its_latin_name_in_brackets_is_a_person():
    found = surfaces("新任CEO接替温思远（Simon Wenger）的职务。")
    assert found["name/温思远"] == {"温思远", "Simon Wenger"}


@pytest.mark.parametrize("text", ["凯雷集团（Carlyle Group）完成交易。", "他买下了金山云（Kingsoft Cloud）的股份。",
                                  "公司和高管（Senior Staff）都在场。"])
def test_an_organization_with_its_latin_name_is_no_person(text):
    assert "Person" not in entities(text).values()


def test_a_known_organization_and_a_unit_cue_name_its_unit():
    text = "百度智能云宣布降价。索尼德国分公司换帅。微软AI部门成立。"
    found = entities(text)
    assert found["name/百度智能云"] == "OrganizationUnit" and found["name/微软ai部门"] == "OrganizationUnit"
    assert found["name/索尼德国分公司"] == "Company"
    assert {("name/百度智能云", "parentOrganization", "baidu"),
            ("name/索尼德国分公司", "parentOrganization", "sony")} <= _relations(text)


@pytest.mark.parametrize("text", ["苹果的团队很强。", "苹果子公司很多。", "Meta裁掉部分硬件团队。", "Meta裁掉了部分硬件团队。",
                                  "百度云计算业务增长。", "Meta的FAIR实验室很有名。"])
def test_no_unit_without_words_of_its_own(text):
    assert "OrganizationUnit" not in {kind for key, kind in entities(text).items() if key.startswith("name/")}


def test_a_cued_latin_name_that_goes_on_after_a_known_name_is_the_name():
    found = entities("双方成立合资公司SB OpenAI Japan。视频生成模型Vega 02下周发布,Mistral Large 2同步上线。")
    assert found.get("name/sb_openai_japan") == "Company" and found.get("name/vega_02") == "AIModel"
    assert found.get("name/mistral_large_2") == "AIModel" and "mistral-ai" not in found


def test_a_role_word_ends_a_cued_latin_name():
    found = entities("公司OpenAI CEO萨姆·奥尔特曼表示。初创公司Nova 2025年成立。")
    assert {"openai", "sam-altman", "name/nova"} <= set(found)
    assert not [key for key in found if "ceo" in key or "2025" in key]


def test_a_checkpoint_is_its_own_entity_based_on_its_family():
    assert ("name/mistral_large_2", "isBasedOn", "mistral-large") in _relations(
        "Mistral Large很强,Mistral Large 2更强。")
    assert "name/问界m7" in entities("问界M7上市了。")
    assert not [k for k in entities("微信8.0发布了。") if k.startswith("name/")]


def test_a_weak_alias_counts_where_a_cue_or_its_owner_names_it():
    assert "arm" in entities("英国芯片设计公司Arm表示。")
    assert "microsoft-copilot" in entities("微软的Copilot很好用。")
    assert "honor" in entities("小米、vivo和荣耀等中国手机厂商。")
    assert not {"arm", "microsoft-copilot", "honor"} & set(entities("控制Arm。Copilot很好用。荣耀属于大家。"))


def test_a_short_form_given_in_brackets_names_the_entity():
    found = surfaces("深圳星河动力科技有限公司（以下简称星河）今日宣布,星河将上市。"
                     "美国就业发展局（Employment Development Department，简称EDD）称,EDD已受理。")
    assert found["name/深圳星河动力科技有限公司"] == {"深圳星河动力科技有限公司", "星河"}
    assert found["name/美国就业发展局"] >= {"美国就业发展局", "EDD"}
    assert "name/公司" not in entities("深圳星河动力科技有限公司（以下简称“公司”）表示,公司将上市。")


@pytest.mark.parametrize("text, name", [
    ("苹果向加州就业发展局提交了文件。", "name/加州就业发展局"), ("上海海关查获一批芯片。", "name/上海海关"),
    ("杭州市中级人民法院受理此案。", "name/杭州市中级人民法院"),
])
def test_authorities_by_their_cue(text, name):
    assert entities(text).get(name) == "GovernmentAgency"


@pytest.mark.parametrize("text", [
    "按照公司最新预测,销量将增长。", "有接近公司的人士透露。", "这是所有创业公司的问题。", "他形容公司正面临挑战。",
    "由现任销售与营销执行副总裁接任。", "高通收购以色列汽车芯片企业。", "公司战略委员会开会。",
    "华为并不直接造车,而是与赛力斯、奇瑞等车企合作。", "不少人来自英伟达、微软和AMD等公司。",
])
def test_discovery_stops_at_verbs_prepositions_and_generic_words(text):
    assert not [key for key in entities(text) if key.startswith("name/")]


def test_a_short_form_found_by_a_cue_is_the_full_name():
    found = entities("深度求索发布DeepSeek-R1。R1模型很强。")
    assert "deepseek-r1" in found and "name/r1" not in found


def test_a_known_name_glossing_a_name_built_on_it_is_one_mention():
    doc = _doc("在美国数学邀请赛AIME 2025测试中得分很高。")
    assert [m.entity for m in doc.mentions] == ["name/aime_2025"]


@pytest.mark.parametrize("text", [
    "温思远（Simon Wenger）、山田太郎 （Taro Yamada）和李明　 (Ming Li)出席。",   # blanks before the bracket
    "陈维远(Wei Chen)（Chen Wei）说,张伟（Wei Zhang）（Zhang Wei）也在。",        # a bracket right after a gloss
    "（Simon Wenger）开头,凯雷集团（Carlyle Group）,张伟（Z）不算。",             # brackets that gloss no name
])
def test_glosses_tried_before_brackets_are_the_ones_every_start_finds(text):
    *_, by_gloss, longest = _person_patterns(name_rules()["person"])
    everywhere = [m.span() for m in by_gloss.finditer(text)]
    assert everywhere and [m.span() for m in _glosses(by_gloss, text, longest)] == everywhere


def test_glosses_of_real_articles_are_the_ones_every_start_finds(heldout_texts):
    *_, by_gloss, longest = _person_patterns(name_rules()["person"])
    found = 0
    for name, text in heldout_texts.items():
        everywhere = [m.span() for m in by_gloss.finditer(text)]
        assert [m.span() for m in _glosses(by_gloss, text, longest)] == everywhere, name
        found += len(everywhere)
    assert found >= 3
