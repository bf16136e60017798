"""Chinese crisis rule families, each beside the look-alike it must leave alone (data/crisis.toml [zh]).

The sets in data/evaluation measure recall; these pairs pin down why a construction flags and where its guard stops,
so a later edit that widens or narrows one family fails here with the construction named. The training lines
(data/training/crisis_zh.jsonl: plans and means, farewells and last wishes, burden, self-harm without a verb of
wanting, beside figures of speech and heavy ordinary lines sharing their words) hold each family at its measured
recall and false-alarm rate.
"""

from __future__ import annotations

import pytest
from data_rows import read_rows

from visualizer.safety.signs import find_signs, is_harmful, sentence_has_sign
from visualizer.affect.segment import split_sentences


DEV = read_rows("zh_crisis_dev.jsonl")
TRAINING = read_rows("crisis_zh.jsonl")
CRISIS_KINDS = {"explicit", "passive", "plan", "self_harm", "farewell", "burden", "harm_others"}


def flagged(text: str) -> bool:
    return find_signs(split_sentences(text)).flagged


@pytest.mark.parametrize("text", [
    "我想去湖边跳下去。",                    # a place between the wish and the means
    "好想找个地方一个人去死。",
    "我要从这里跳下去。",
    "他们都不知道我想自杀。",                  # first person after a third-person subject
    "我一直有自杀的念头。",                    # bare mention, the writer's own
    "朋友劝我别自杀。",
    "跟室友吵完架又自残了。",                  # dropped 我 after a 跟-object
    "我把攒的安眠药都藏好了。",                # 把-construction
    "刚才差点就吞了那瓶药。",                  # near-attempt
    "死了才能轻松。",                          # death as relief
    "我不配活着。",
    "这一次是永别了。",                        # farewell
    "这是最后一篇日记了，谢谢每一个对我好的人。",
    "我又控制不住想划。",                      # self-harm urge with no object
    "真想拿菜刀砍死他。",                      # weapon before the verb
    "想彻底从这个世界上消失。",                # 消失 after its place
    "如果我不在了，大家会不会过得更好。",      # better off without me, as a question
    "想永远睡着。",
    "這次是永別了。",                          # Traditional
    "我想從頂樓跳下去。",
    "炭和胶带都买好了。",                      # means made ready, no verb of wanting
    "昨天查了安眠药的致死量。",
    "绳子买好了，就藏在衣柜里。",
    "今天去天台看了看高度。",
    "药都存够了。",
    "大家，下辈子见。",                        # farewell
    "帮我照顾好我妈，拜托了。",                # last wish
    "我只会拖累别人。",                        # burden
    "没有我，爸妈就不用这么累了。",
    "手腕上又多了几道。",                      # self-harm named by its marks
    "昨晚又划了。",
    "疼了才觉得自己还活着。",
    "好希望来一场意外把我带走。",              # death by accident as a wish
    "再被他欺负，我就跟他同归于尽。",
    "以后爸妈就交给你们了。",                  # last wishes: parents, a pet, savings, passwords, belongings
    "我的狗就拜托你了，它怕黑。",
    "积蓄都转给我妈了。",
    "卡的密码写在抽屉里的本子上，记得去取。",
    "房间收拾好了，玩偶都送给了表妹。",
    "今晚我就去死。",                          # a time with 去死
    "要是我不在了，家里就不会再吵架了。",      # burden: the family spared a quarrel
    "从窗台往下看，好像也不算高。",            # judging a height
    "从几楼跳下去才会死。",
    "药都倒出来了，五十多片，够了。",          # pills counted as enough
    "绳子系在门框上试了试。",                  # a rope tested
    "家里只剩我一个，正好。",                  # waiting to be alone
    "不想再撑了。",
    "我可能撑不到春天了。",                    # not lasting to a season
    "桥上没人，很适合悄悄地走。",              # a place fit to go quietly
    "我消失的话，也没人会发现吧。",
    "汽油已经准备好了，明天去找他算账。",      # ill will beside means
    "要让他们一个个偿命。",
    "恨死他了，我已经摸清他几点下班。",        # ill will beside a watched routine
    "总想紫砂。",                              # slang
    "跟这个世界的缘分到此为止了。",
    "以后的路我不能陪大家走了。",
    "如果我明天没上线，就说明我已经走了。",
    "只求一死。",
    "我要把自己了结。",
    "手腕上新的旧的伤叠在一起。",              # marks new and old
    "大热天也穿长袖，怕被看见手腕上的疤。",    # scars hidden
    "刀片一直藏在枕头底下。",                  # a blade hidden
    "不想再待在这个世界上了。",
    "活着就是浪费粮食。",                      # burden with the 我 dropped
    "早点死了还能给家里省钱。",
    "疼的时候反而平静。",                      # pain as calm
    # Third round: families named by the misses of sets 2 and 4 and of four batches of new lines.
    "我想我还是死了比较好。",                  # better dead, said of oneself
    "我不在了对谁都好。",
    "真希望查出个绝症。",                      # misfortune wished for
    "要是出个车祸就好了。",
    "打算周末就去了结自己。",                  # a time named
    "为什么没死成。",                          # a survived attempt regretted
    "又被救回来了，真失望。",
    "不想再看到明天的太阳了。",                # no tomorrow
    "死了反而干净。",                          # death valued as good
    "活着和死了有什么区别。",
    "刀片备好了，今晚就动手。",                # means ready, then a time
    "背着爸妈买了一瓶农药。",                  # a lethal means got in secret
    "麻绳不是用来搬家的。",                    # its ordinary use denied
    "把两板安眠药都吞了。",                    # the amount swallowed
    "遗书写好了，就差最后一点勇气。",          # ready but for courage
    "把围巾系在了房梁上。",                    # something to hang by, tied to a place to hang from
    "攥着那瓶药看了一整晚。",                  # lingering with a means
    "配了一把天台的钥匙。",                    # a way up to the roof
    "从三十楼下去，一下就结束了。",            # a fall judged for speed
    "日子我已经定好了。",                      # a day chosen
    "撑过这个月就去桥上。",                    # waiting for a day, then an edge
    "我走了她还能拿到一笔保险金。",            # a payout on one's death
    "吃下这些药，就不会再难受了。",            # a means as the end of pain
    "我哪天死在家里，都没人知道。",            # no one noticing
    "总在想象自己从楼上掉下去。",              # picturing one's own fall
    "在江边站了很久，就差一步。",              # an edge with a near step
    "一直往海里走，再也不回头。",              # walking into water
    "他们都以为我只是出去散心。",              # others told an ordinary reason
    "要不是我，爸妈早就过上好日子了。",        # burden: the family better off but for me
    "我还活着干嘛。",
    "晚安，永别。",                            # farewell as the last word
    "对不起，下辈子再报答你们。",              # an apology reaching to the next life
    "这是我最后一条微博。",                    # a last post
    "谢谢你们曾经对我那么好。",                # thanks as final
    "你们不会再见到我了。",                    # not seen again
    "外公走了，我也该去陪他了。",              # joining the dead
    "我先走一步，你们照顾好妈妈。",            # arrangements
    "给爸妈的信压在枕头下面了。",              # a letter left
    "把猫托付给朋友了，心里反而轻松了。",      # a pet handed over, with relief
    "扇了自己几十个耳光。",                    # hitting oneself
    "掐自己掐到发紫。",
    "故意停药，看看身体什么时候垮掉。",        # letting the body fail
    "我真的会捅死他。",                        # a threat meant
    "恨他，已经想好在哪里堵他了。",            # ill will with a place chosen
    "冇咗我佢哋會好啲。",                      # Cantonese
    "这个世界我先下线了。",                    # euphemisms for leaving the world
    "想悄悄从这个世界上退场。",
    "心里有个声音说：去死吧。",                # an inner voice
    "七楼，够了吧。",                          # a height judged enough
])
def test_construction_flags(text):
    assert flagged(text) and all(sentence_has_sign(s) for s in split_sentences(text) if find_signs([s]).flagged)


@pytest.mark.parametrize("text", [
    "加班到半夜，累得想死。",                  # hyperbole
    "尴尬得我都想死。",
    "想死你了！",                              # missing someone
    "周末想看死侍。",                          # 死 inside a word, after a gap
    "想让烦恼都消失。",                        # 消失 after a gap is no wish to vanish
    "新闻说有人跳楼了。",                      # someone else, reported
    "他朋友几年前轻生了。",
    "那本小说写一个女孩自杀的故事。",
    "我要是没刹车就撞上去了。",                # 要是 = if: an accident
    "前面的车一停，我差点撞上去。",
    "要注意别撞上去。",
    "忍不住划了一下午手机。",
    "帮外公安排后事。",                        # grief
    "我想起爷爷去世那天。",                    # 想起 = remember
    "想去泳池跳下去游泳。",
    "这是今年最后一篇日记，明年见。",
    "周末想去游乐园坐跳楼机。",                # a ride, not a means
    "周末烧烤，买了一袋木炭。",                # charcoal without tape or a sealed room
    "医生给我开了安眠药，说每次只吃半片。",
    "阳台上拉了根绳子晾衣服。",
    "出差一周，帮我照顾好我的多肉。",          # an errand, not a last wish
    "出差这几天，拜托你帮我照顾好我爸妈。",
    "腿受伤了，怕这次比赛拖累队友。",
    "被猫抓了几道口子。",
    "冬天早上真不想醒来，被窝太舒服了。",      # a warm bed, not never waking
    "房价高得让人想跳楼。",                    # hyperbole
    "这个 bug 我今天跟它同归于尽了。",
    "总是伤害自己在乎的人。",                  # hurting others one cares about
    "你活着浪费空气。",                        # an insult, not the writer
    "看了一篇关于烧炭自杀预防的报道。",        # suicide as a topic
    "讲座教大家怎么识别身边人的自杀风险。",
    "小说里那个母亲最后结束了自己的生命。",    # someone else's death in fiction
    "孩子就交给你了，我去上班了。",            # daily care, not a last wish
    "这周出差，猫就拜托你了。",                # an errand
    "存款都转给我妈了，让她帮我理财。",
    "WiFi密码写在冰箱上，你们随便用。",
    "搬家前把房间收拾干净了，书都送人了。",    # tidying with an ordinary reason
    "他冲我喊你今天就去死吧。",                # an insult
    "楼下的驾校保证一次成功。",
    "一次买了二十多片面膜，够了。",
    "周末家里只剩我一个人，正好看书。",
    "这个项目我不想再扛了。",                  # work, not living
    "手机电量撑不到下班了。",
    "以后的路我不能再陪你走了，祝你幸福。",    # a breakup
    "要让他们一个个付出代价，去法院告他们。",  # the law, not harm
    "打听清楚了他几点下班，想给他一个惊喜。",
    "朋友送了我一把紫砂壶。",
    "被猫抓得手背上一道一道的。",              # marks with another cause
    "做完手术，夏天也穿长袖遮住肚子上的疤。",
    "把美工刀藏在高处，怕孩子拿到。",
    "对不起今晚不能陪你们了，我要去找外婆了，她过生日。",
    "这件裙子美到我想死。",                    # hyperbole of delight
    "看到房租涨了，看得我想跳楼。",            # hyperbole of what one sees
    "再让我改一次稿子我就要杀人了。",          # hyperbole of tedium
    "周末在院子里烧炭烤串。",                  # charcoal for cooking
    # Third round: look-alikes of its families, and the masks it added.
    "这盆绿萝我看还是死了比较好。",            # another subject before the 我
    "希望这次旅行不要出什么意外。",            # a worry, not a wish
    "会议开了三个小时，还是结束吧。",          # an ending that is not about life
    "野营的绳子和帐篷我都准备好了。",          # means with an ordinary use
    "药都准备好了，明天就出发。",
    "奶奶买了一瓶农药给果树打药。",
    "感冒了，一次吃两片药。",
    "表白的话都想好了，就差最后一点勇气。",
    "在阳台栏杆上系了根绳子晾被子。",
    "盯着那瓶药看了半天说明书。",
    "婚礼的日子定好了。",
    "撑过这个月就去海边度假。",
    "吃下这片止痛药，牙就不会疼了。",
    "在天台边上拍日落，差一点手机就掉下去了。",
    "学游泳的时候水没过胸口，有点紧张。",
    "要不是我提醒，他们早就忘了交房租。",
    "永别了，我的周末。",                      # a farewell to a thing, mid-sentence
    "今年最后一条微博，明年见。",
    "离职了，谢谢你们曾经对我那么好。",
    "外公走了以后，我每年都去陪他说说话。",
    "我先走一步了，你们慢慢吃。",
    "我走以后，钥匙留给楼下的阿姨。",
    "出国前把狗送到了朋友家。",
    "真想扇自己两巴掌，又忘带钥匙了。",
    "他要是再剧透，我真的会杀了他哈哈哈。",    # a threat laughed off
    "复习到第三章的我想从图书馆跳下去 [笑cry]",  # a laughing tag
    "看一眼中介的报价就想跳楼。",              # prices
    "给室友写了份\u201c遗书\u201d：零食归你。",    # a word in quotation marks
    "直子的自杀让我难过了好几天。",            # someone else's, named as theirs
    "强者都是直接跳楼。",                      # a category of people
    "你这是想杀人啊。",                        # a charge at a driver
    "用刀背划手腕的实验。",                    # the blunt side
    "害怕伤害别人，宁愿伤害自己。",            # hurting oneself to spare others: feelings
    "午睡了二十分钟，仍不愿醒来。",            # a nap
    "那些不化妆就要死的人。",                  # hyperbole about others
    "非要死在对方手上才算完？",                # insisting
    "朋友打电话说她不想活了，我去陪她。",      # someone else's words reported
    "这是我给这个城市的最后一条留言，明天就出国了。",
    "这次真的要说再见了，谢谢你们陪我走过四年大学。",
])
def test_look_alike_does_not_flag(text):
    assert not flagged(text)


@pytest.mark.parametrize("phrase", ["永远睡去", "一觉不醒", "永远地睡着", "彻底从这个世界上消失", "去江边跳下去"])
def test_wish_objects_of_never_waking_or_a_means_are_harmful(phrase):
    assert is_harmful(phrase)


@pytest.mark.parametrize("phrase", ["好好睡一觉", "睡个懒觉", "消失几天", "去海边", "一觉睡到自然醒", "去坐跳楼机"])
def test_ordinary_sleep_and_travel_objects_are_not_harmful(phrase):
    assert not is_harmful(phrase)


def test_every_harmful_object_in_the_dev_set_is_harmful():
    objects = [row["harmful_object"] for row in DEV if row["harmful_object"]]
    assert objects and all(is_harmful(phrase) for phrase in objects), [p for p in objects if not is_harmful(p)]


def test_a_gap_never_reaches_across_punctuation():
    """想 … 撞过去 would be a wish with its means; a comma between them ends the wish's clause."""
    assert not flagged("我想回家，看见有人开车撞过去。")


def test_training_lines_are_well_formed():
    kinds = CRISIS_KINDS | {"figure", "ordinary"}
    for row in TRAINING:
        assert set(row) == {"text", "crisis", "kind"} and row["kind"] in kinds, row
        assert row["crisis"] is (row["kind"] in CRISIS_KINDS), row
    assert len({row["text"] for row in TRAINING}) == len(TRAINING)


def flagged_share(kinds: set[str]) -> float:
    lines = [row["text"] for row in TRAINING if row["kind"] in kinds]
    return sum(flagged(text) for text in lines) / len(lines)


def test_training_lines_keep_their_measured_recall_and_false_alarms():
    """Measured when the lines were written (2026-11-25): the rules before them caught 52/173 crisis lines and
    flagged 6/92 figures, 5/68 ordinary lines; after the rule families they guided, 155/173, 0/92, 2/68 (a
    friend's call reported in the writer's words, a poet's death named by its means). A second round added 112
    lines for the families that zh_crisis_heldout3.jsonl named (58 crisis, 8 figures, 46 ordinary): the rules
    before it caught 162/231, flagged 4/100 figures and 3/114 ordinary lines; after it, 216/231, 0/100, 3/114
    (我的东西你们随便处理，反正都是些旧货 reads like a last wish).

    A third round (2026-11-25) added 395 lines in five batches (236 crisis, 32 figures, 127 ordinary): one for the
    families that zh_crisis_heldout2.jsonl and heldout4 named, then four batches each written before the rules
    that the batch before it guided. Each batch read on arrival 32/72, 13/44, 7/40, 5/40 and 6/40 (the rules
    before the round: 11/72, 2/44, 7/40, 4/40, 5/40): a family widened to its meaning carries to new wording of
    that family, but each batch of new writing brought new families. The whole file before the round: 245/467,
    8/132 figures, 10/241 ordinary; after it: 465/467, 0/132, 0/241."""
    assert flagged_share(CRISIS_KINDS) >= 0.97
    assert flagged_share({"figure"}) <= 0.01
    assert flagged_share({"ordinary"}) <= 0.01


@pytest.mark.parametrize("kind", sorted(CRISIS_KINDS))
def test_every_kind_of_training_crisis_line_is_mostly_caught(kind):
    """Lowest measured after the third round: farewells 87/88 and plans 107/108 (这个号以后不会再更新了 could be a
    blog's goodbye; 今天又去頂樓看了一下，風很大 names no act)."""
    assert flagged_share({kind}) >= 0.90
