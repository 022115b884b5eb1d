"""Red-flag detection: the safety layer, so it has the most tests.

A patient with cauda equina syndrome, myelopathy, meningitis or a dissection who is reassured instead of
told to ring 112 is the failure this product must not have; these tests pin that down.
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest
import yaml

from bot.content import TIER_RANK, RedFlag, load_red_flags
from bot.safety import detector as detector_module
from bot.safety.detector import Detection, PatternError, detect, get_detector, most_urgent, normalise
from bot.safety.evaluation import evaluate, load_cases
from bot.safety.typo_guard import load_guard

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "red_flags" / "dev.yml"
HELDOUT = ROOT / "tests" / "red_flags" / "heldout.yml"

SCREENING = {
    "neck": {
        "neck_trauma": "emergency",
        "neck_cord": "emergency",
        "neck_stroke": "emergency",
        "neck_meningitis": "emergency",
        "neck_bladder": "emergency",
        "neck_soon": "soon",
    },
    "radiculopathy": {
        "ces_sphincter": "emergency",
        "ces_saddle": "emergency",
        "legs_both": "emergency",
        "leg_weakness": "same_day",
        "spinal_infection": "same_day",
        "radic_soon": "soon",
    },
}
IF_UNSURE = {"emergency": "same_day", "same_day": "same_day", "soon": "soon"}


def ids(text: str) -> set[str]:
    return {d.flag_id for d in detect(text)}


def top_tier(text: str) -> str:
    top = most_urgent(detect(text))
    return top.tier if top else "none"


# ----------------------------------------------------------------------------------------- content


@pytest.fixture(scope="module")
def flags() -> list[RedFlag]:
    return load_red_flags()


def test_screening_questions_are_exactly_the_agreed_ids(flags: list[RedFlag]) -> None:
    for condition, expected in SCREENING.items():
        asked = {f.id: f.tier for f in flags if f.question and condition in f.conditions}
        assert asked == expected, condition
        assert len(asked) <= 6


def test_if_unsure_follows_tier(flags: list[RedFlag]) -> None:
    for flag in flags:
        if flag.question:
            assert flag.if_unsure == IF_UNSURE[flag.tier], flag.id
        else:
            assert flag.if_unsure is None, flag.id


def test_every_flag_has_reason_and_patterns(flags: list[RedFlag]) -> None:
    for flag in flags:
        assert flag.reason and flag.reason.endswith("."), flag.id
        assert flag.patterns or flag.learned, flag.id


def test_free_text_only_flags_come_from_the_reference(flags: list[RedFlag]) -> None:
    free = {f.id: f.tier for f in flags if not f.question and not f.learned}
    assert free == {"ces_sexual": "emergency", "neck_no_improvement": "soon", "cancer_recurrence": "soon"}


def test_all_patterns_compile(flags: list[RedFlag]) -> None:
    detector = get_detector(flags)
    assert len(detector.flags) == len(flags)


def test_typo_guard_is_up_to_date() -> None:
    """After editing patterns run `.venv/bin/python -m bot.safety.typo_guard` (about a minute)."""
    fingerprint, words = load_guard()
    assert words, "bot/safety/typo_guard.txt is missing"
    assert fingerprint == get_detector().lexicon.fingerprint(), "run: python -m bot.safety.typo_guard"


def _code_strings(path: Path) -> str:
    """String literals of a module, without docstrings (examples in prose are fine)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return " ".join(
        node.value.lower()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    )


def test_detector_code_holds_no_danish_words() -> None:
    """Symptom words, negations and question cues are data in content/red_flags.yml."""
    code = " ".join(_code_strings(ROOT / "bot" / "safety" / name) for name in ("detector.py", "patterns.py"))
    for word in ("feber", "tiss", "skridt", "følelsesløs", "foelelsesloes", "ikke", "ingen", "nakke", "hvis"):
        assert word not in code, word


# ----------------------------------------------------------------------------------- normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Følelsesløs i SKRIDTET!!", "foelelsesloes i skridtet"),
        ("Jeg kan ikke tisse 😭😭", "jeg kan ikke tisse"),
        ("  blæren   på   ", "blaeren paa"),
        ("ÆØÅ æøå", "aeoeaa aeoeaa"),
        ("kan ik' tisse", "kan ik tisse"),
        ("café naïve", "cafe naive"),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_makes_spellings_meet() -> None:
    assert normalise("følelsesløs") == normalise("foelelsesloes")


# ------------------------------------------------------------------- every flag, typical phrasing

TYPICAL = [
    ("ces_sphincter", "Jeg kan ikke tisse"),
    ("ces_sphincter", "jeg har svært ved at tisse"),
    ("ces_sphincter", "kan ikke holde på vandet"),
    ("ces_sphincter", "kan ikke mærke når jeg tisser"),
    ("ces_sphincter", "jeg kan ikke holde på afføringen"),
    ("ces_sphincter", "der kom afføring i bukserne uden at jeg mærkede det"),
    ("ces_sphincter", "har mistet kontrollen over blæren"),
    ("ces_sphincter", "jeg lækker urin"),
    ("ces_saddle", "jeg er følelsesløs i skridtet"),
    ("ces_saddle", "mærker ikke noget i skridtet"),
    ("ces_saddle", "kan ikke mærke toiletpapiret når jeg tørrer mig"),
    ("ces_saddle", "det sover omkring endetarmen"),
    ("ces_saddle", "nedsat følelse på indersiden af lårene"),
    ("ces_sexual", "jeg kan ikke få rejsning"),
    ("ces_sexual", "kan ikke mærke noget under samleje"),
    ("legs_both", "iskias i begge ben"),
    ("legs_both", "jeg er svag i begge ben"),
    ("legs_both", "mit ben bliver hurtigt svagere"),
    ("legs_both", "jeg har en lammelse"),
    ("leg_weakness", "foden hænger når jeg går"),
    ("leg_weakness", "jeg har fået dropfod"),
    ("leg_weakness", "jeg slæber foden"),
    ("leg_weakness", "jeg kan ikke gå på hælene"),
    ("leg_weakness", "benet er blevet svagere"),
    ("spinal_infection", "jeg har feber"),
    ("spinal_infection", "jeg føler mig meget syg"),
    ("spinal_infection", "jeg har nedsat immunforsvar"),
    ("spinal_infection", "jeg tager stoffer med sprøjte"),
    ("radic_soon", "jeg har haft kræft"),
    ("radic_soon", "jeg har tabt mig uden grund"),
    ("radic_soon", "konstante smerter om natten"),
    ("radic_soon", "jeg har knogleskørhed"),
    ("radic_soon", "jeg har taget prednisolon i flere år"),
    ("neck_trauma", "det startede efter jeg faldt ned ad trappen"),
    ("neck_trauma", "jeg var ude for en bilulykke"),
    ("neck_trauma", "jeg fik et slag i hovedet"),
    ("neck_trauma", "piskesmæld"),
    ("neck_cord", "jeg går usikkert"),
    ("neck_cord", "mine hænder er blevet klodsede"),
    ("neck_cord", "følelsesløs i begge arme"),
    ("neck_cord", "svaghed i både arme og ben"),
    ("neck_cord", "jeg får stød ned gennem kroppen når jeg bøjer nakken"),
    ("neck_stroke", "pludselig voldsom hovedpine"),
    ("neck_stroke", "jeg ser dobbelt"),
    ("neck_stroke", "jeg har svært ved at tale"),
    ("neck_stroke", "jeg har svært ved at synke"),
    ("neck_stroke", "min mundvig hænger"),
    ("neck_stroke", "jeg besvimede"),
    ("neck_meningitis", "jeg har feber og stiv nakke"),
    ("neck_meningitis", "feber og hovedpine og lyset gør ondt i øjnene"),
    ("neck_meningitis", "feber og udslæt"),
    ("neck_bladder", "nakkesmerter og nu kan jeg ikke tisse"),
    ("neck_soon", "følelsesløshed i venstre arm"),
    ("neck_soon", "jeg har haft kræft"),
    ("neck_soon", "jeg føler mig generelt syg"),
    ("neck_no_improvement", "det er ikke blevet bedre efter 5 uger"),
    ("cancer_recurrence", "jeg er bange for at kræften er kommet igen"),
    # synonym families added after blind batch D
    ("ces_sphincter", "har måttet tage ble på fordi jeg ikke kan holde på det"),
    ("ces_sphincter", "jeg når ikke ud på toilettet i tide"),
    ("ces_saddle", "kan ikke mærke noget dernede"),
    ("ces_saddle", "det snurrer mellem benene"),
    ("legs_both", "mit ben giver efter og det er meget værre end i morges"),
    ("leg_weakness", "jeg kan ikke stå på benet"),
    ("neck_trauma", "var ude for et biluheld og blev kørt op bagfra"),
    ("spinal_infection", "får humira for min crohns"),
    ("spinal_infection", "jeg har det virkelig skidt og ryster over hele kroppen"),
    ("radic_soon", "jeg er 68 og har aldrig haft ondt i ryggen før"),
    ("neck_soon", "jeg er 16 år og har fået ondt i nakken"),
    ("neck_no_improvement", "over en måned nu og ingen bedring"),
    # synonym families added after blind batch E
    ("ces_saddle", "det føles som om jeg sidder på en pude jeg ikke kan mærke"),
    ("ces_saddle", "kan ikke mærke cykelsadlen"),
    ("ces_saddle", "som efter en bedøvelse hos tandlægen. omkring numsen og tissemanden"),
    ("ces_saddle", "numsen føles bedøvet"),
    ("ces_sexual", "jeg mærker ingenting når vi er sammen"),
    ("neck_stroke", "maden sætter sig fast når jeg synker"),
    ("neck_stroke", "kan ikke få maden ned"),
    ("neck_stroke", "stemmen er blevet sløret"),
    ("neck_stroke", "min kone siger jeg taler mærkeligt"),
    ("neck_stroke", "mine ben klappede bare sammen under mig"),
    ("neck_stroke", "faldt om uden varsel, jeg var vågen hele tiden"),
    ("legs_both", "jeg slæber benet og det er meget værre siden i morges"),
    ("legs_both", "i går kunne jeg gå fint, nu kan jeg ikke stå på benet"),
    ("legs_both", "jeg kan næsten ikke løfte foden og det er sket på få timer"),
    ("neck_trauma", "jeg faldt i går og nu gør nakken ondt"),
    ("radic_soon", "vågner hver nat af smerter og det hjælper ikke at vende sig"),
    ("radic_soon", "jeg er 68 og har aldrig nogensinde haft ondt i ryggen før"),
    ("radic_soon", "tager prednisolon dagligt"),
    ("radic_soon", "fast på prednisolon for min gigt"),
    ("neck_soon", "har fået binyrebarkhormon i et halvt år"),
]


@pytest.mark.parametrize(("flag_id", "text"), TYPICAL)
def test_every_flag_fires_on_typical_phrasing(flag_id: str, text: str, flags: list[RedFlag]) -> None:
    assert flag_id in ids(text)
    tier = next(f.tier for f in flags if f.id == flag_id)
    assert top_tier(text) == tier or TIER_RANK[top_tier(text)] > TIER_RANK[tier]


def test_every_flag_is_covered_by_typical_phrasings(flags: list[RedFlag]) -> None:
    # the learned flag has no patterns: tests/test_learned_safety_net.py covers it
    assert {f.id for f in flags if not f.learned} == {flag_id for flag_id, _ in TYPICAL}


# ---------------------------------------------------------------------- negation must not fire

NEGATED = [
    "ingen feber",
    "Ingen feber.",
    "har ikke problemer med at tisse",
    "jeg har ikke svært ved at tisse",
    "hverken feber eller stiv nakke",
    "jeg har ikke tabt mig",
    "nej, ingen af delene",
    "nej",
    "jeg har ingen problemer med blæren eller tarmen",
    "ingen følelsesløshed i skridtet",
    "jeg har ikke mistet følelsen i skridtet",
    "jeg har ikke været ude for noget uheld",
    "jeg har aldrig haft kræft",
    "jeg har ikke nogen problemer med at tisse eller holde på afføringen",
    "feber har jeg ikke",
    "stiv nakke: nej",
    "feber, nej",
    "benet er ikke svagt",
    "jeg har ingen svaghed i benene",
    "ingen lammelser",
    "jeg har ikke haft feber",
    "jeg er ikke usikker på benene",
    "ingen dobbeltsyn eller svimmelhed",
    "ingen smerter i begge ben",
    "jeg har ikke tabt mig eller haft feber",
    "ikke noget med blæren",
    "jeg har ikke ondt i begge ben, kun i det ene",
    "min feber er væk nu",
    "feberen er gået over",
    "tisse er ikke et problem",
    "jeg har ingen problemer med at holde på vandet",
    "jeg mærker intet unormalt i skridtet",  # the negation denies an abnormality (normal_words)
    "jeg kan ikke mærke noget unormalt når jeg tisser",
    "jeg har ikke været ude for et biluheld",
    "jeg får ikke biologisk medicin",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negated_signs_do_not_fire(text: str) -> None:
    assert detect(text) == []


# ----------------------------------------------- the negation is part of the symptom: must fire

SYMPTOM_NEGATIONS = [
    ("ces_sphincter", "kan ikke mærke når jeg tisser"),
    ("ces_sphincter", "kan ikke holde på vandet"),
    ("ces_sphincter", "kan ikke tisse"),
    ("ces_sphincter", "jeg har ikke kunnet tisse i dag"),
    ("ces_sphincter", "nu kan jeg ikke lade vandet"),
    ("ces_sphincter", "ingen kontrol over blæren"),
    ("ces_sphincter", "blæren bliver ikke tømt"),
    ("ces_saddle", "mærker ikke noget i skridtet"),
    ("ces_saddle", "ingen følelse i skridtet"),
    ("ces_saddle", "jeg kan ikke mærke papiret når jeg tørrer mig"),
    ("ces_sexual", "kan ikke få rejsning"),
    ("leg_weakness", "kan ikke løfte foden"),
    ("leg_weakness", "ingen kraft i foden"),
    ("neck_stroke", "kan ikke synke"),
    ("legs_both", "mine ben kan ikke bære mig"),
    ("radic_soon", "hvile hjælper ikke"),
    ("ces_sphincter", "jeg har ingen feber, jeg kan ikke tisse"),
    ("ces_sphincter", "ingen feber, men jeg har svært ved at tisse"),
    ("ces_saddle", "ikke noget med blæren, men jeg er følelsesløs i skridtet"),
    ("ces_sphincter", "er det normalt at jeg ikke kan mærke når jeg tisser?"),
    ("neck_cord", "jeg kan ikke mærke mine fingre på begge hænder"),
    ("leg_weakness", "tæerne kan ikke løftes"),
    ("leg_weakness", "foden vil ikke lystre"),
]


@pytest.mark.parametrize(("flag_id", "text"), SYMPTOM_NEGATIONS)
def test_symptom_negations_fire(flag_id: str, text: str) -> None:
    assert flag_id in ids(text)


WORD_ORDER = [
    ("ces_sphincter", "vandet har jeg svært ved at komme af med"),
    ("ces_sphincter", "at tisse er blevet svært"),
    ("ces_saddle", "skridtet er helt følelsesløst"),
    ("ces_saddle", "omkring endetarmen kan jeg ikke mærke noget"),
    ("leg_weakness", "foden kan jeg ikke løfte"),
    ("neck_stroke", "talen er blevet sløret"),
    ("spinal_infection", "temperaturen var 39,2 i morges"),
]


@pytest.mark.parametrize(("flag_id", "text"), WORD_ORDER)
def test_free_word_order_fires(flag_id: str, text: str) -> None:
    assert flag_id in ids(text)


# ----------------------------------------------------------- spelling: no æøå, typos, case

SPELLING = [
    ("ces_saddle", "foelelsesloes i skridtet"),
    ("ces_saddle", "folelseslos i skridtet"),
    ("ces_saddle", "følelsløs i skridtet"),
    ("ces_saddle", "FØLELSESLØS I SKRIDTET"),
    ("ces_sphincter", "kan ikke holde paa affoeringen"),
    ("ces_sphincter", "kan ikke holde pa afforingen"),
    ("ces_sphincter", "har problemer med at tise"),
    ("ces_sphincter", "kan ik tisse"),
    ("ces_sphincter", "svaert ved at tisse"),
    ("ces_sphincter", "svart ved at tisse"),
    ("spinal_infection", "feper"),
    ("spinal_infection", "jeg har feeber"),
    ("legs_both", "lammelse"),
    ("legs_both", "lamelse i benet"),
    ("neck_stroke", "dobeltsyn"),
    ("neck_cord", "klodsede haender"),
    ("leg_weakness", "droppfod"),
    ("neck_meningitis", "feber og stiv nakke"),
    ("neck_meningitis", "feper og stiv nakke"),
]


@pytest.mark.parametrize(("flag_id", "text"), SPELLING)
def test_spelling_variants_fire(flag_id: str, text: str) -> None:
    assert flag_id in ids(text)


REAL_WORDS_NOT_TYPOS = [
    "jeg har ondt ned bag i låret",  # låret is not a typo of lammet
    "det startede for en uge siden",  # startede is not styrtede
    "skal jeg spise mere fiber?",  # fiber is not feber
    "kan ikke tåle at sidde længe",  # tåle is not tale
    "jeg faldt i søvn i en dårlig stilling",
]


@pytest.mark.parametrize("text", REAL_WORDS_NOT_TYPOS)
def test_real_words_are_not_read_as_typos(text: str) -> None:
    assert detect(text) == []


# ---------------------------------------------------------- ordinary pain and questions: quiet

ORDINARY = [
    "det stikker ned i benet",
    "ondt i nakken når jeg drejer hovedet",
    "jeg er bange for at det er noget alvorligt",
    "det føles som elektriske stød ned i benet",
    "min nakke er stiv om morgenen",
    "jeg har hovedpine fra nakken",
    "foden sover når jeg har siddet længe",
    "ondt i begge skuldre",
    "hvad kan jeg selv gøre?",
    "hvad hvis jeg får feber?",
    "skal jeg være bekymret for at tisse?",
    "kan det give lammelser?",
    "hvilke faresignaler skal jeg holde øje med?",
    "jeg trænger til at tisse",
    "jeg drikker meget vand",
    "det trækker ned i højre ben til knæet",  # radiating pain, not dragging the leg
    "jeg sover på siden med en pude mellem benene",  # 'sover' is sleep here, not numbness
    "fik pludselig voldsomme smerter i lænden da jeg løftede en kasse",  # sudden severe BACK pain
    "jeg er 38 og har fået ondt i lænden",
    "jeg er 70 men har det fint",  # age without a first onset
    "jeg er 16 uger henne og har ondt i lænden",  # pregnancy weeks, not an age
    "har haft iskias i 10 dage, ingen bedring endnu",  # under four weeks
    "det gjorde ondt i 3 måneder sidste år men gik over",
    "jeg fryser så jeg tager en varm trøje på",
    "prikken i numsen og ned i benet",  # buttock tingling is ordinary sciatica
    (
        "Hej, jeg er 38 og fik ondt i lænden i mandags, det trækker ned i højre ben til knæet. Har ingen "
        "feber, ingen problemer med toilettet og kan mærke alt. Hvad skal jeg gøre?"
    ),
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_descriptions_and_questions_do_not_fire(text: str) -> None:
    assert detect(text) == []


# ------------------------------------------ context rules: someone else, long ago, an injection

CONTEXT_CANCELLED = [
    "min far havde prostatakræft, kan rygsmerter være arveligt?",
    "min søster har knogleskørhed, kan jeg også have det?",
    "min mor døde af kræft",
    "min kollega har taget prednisolon i mange år",
    "der er kræft i familien",
    "var i en bilulykke for 15 år siden men har været helt fin siden",
    "faldt paa isen for 2 vintre siden, det er helet",
    "faldt ned fra et træ som barn",
    "var ude for et piskesmæld i 2012",
    "havde feber for en måned siden men det var en forkølelse",
    "Depo-Medrol",
    "steroid sprøjte i lænden",
    "kortisoninjektion",
    "hvad med en steroidindsprøjtning",
    "skal jeg have en kortison sprøjte",
    "jeg fik en kortisonsprøjte i ryggen for 3 uger siden",
    "er det farligt at tage prednisolon?",
    "jeg faldt i søvn og vågnede med ondt i nakken",
    "kan ikke få den op over hovedet",
    "jeg er bange for at min rygsmerte også er kræft",  # a worry, not a history
    "kan det være kræft?",
    "havde influenza med feber for 3 uger siden men det er helt væk nu",  # fever weeks ago, over
    "var i et færdselsuheld i 2015 og fik piskesmæld, det gik over",  # long ago, continued after "og"
    "min veninde havde meningitis sidste år",
    "min kone får kemo, kan jeg smitte hende?",  # a relative's immunosuppression
    "min bror fixer",
    "jeg bruger insulin kanyler",  # needles for treatment, not drug use
    "kan ikke mærke noget forneden i ryggen",  # the low back, not the saddle area
    "så et program på tv om en mand der ikke kunne tisse pga ryggen",  # a story, not the patient
    "min ven besvimede efter kiropraktor og fik ondt i nakken",  # a friend's blackout
    "for 10 år siden var jeg inkontinent et par dage, det gik helt over",  # long ago and over
    "du skrev jeg skulle ringe hvis jeg ikke kunne tisse, men det kan jeg sagtens",  # advice repeated
    "jeg arbejder på kræftafdelingen og løfter mange patienter",  # a workplace
    "kræftens bekæmpelse har et motionsløb, kan jeg være med?",  # an organisation
    "jeg har tabt 6 kg, men det er med vilje, jeg er på slankekur",  # explained weight loss
    "min mand på 81 har fået sit gamle hold i nakken igen",  # recurrent, not a first onset
    "der står på pakken at panodil er mod feber",  # a medicine's label
    "hvad er lhermittes tegn?",  # asking what a sign is
    "min datter på 5 har feber og jeg har ondt i ryggen af at bære hende",  # a child's fever
    "både arme og ben har det fint, det er kun nakken",  # denied right after
    "dobbeltsyn? nej intet af det",  # asked and denied at once
    "kan jeg godt være med selvom kræfterne ikke er så store",  # strength, not cancer
    "kan ikke komme af med smerten i lænden, is eller varme?",  # rid of the pain, not of urine
    "jeg tisser tit men det er jo maven der trykker, jeg er gravid",  # pressure from the womb
    "jeg bruger panodil når børnene har feber",  # the children's fever
    "min bedstefar kan ikke tisse pga sin prostata, men det er mig der har iskias",
    "havde feber i forrige uge med influenza, den er helt væk nu",
    "kan ryggen give feber?",
    "hvis jeg en dag ikke kan tisse, skal jeg så ringe til lægevagten?",
    "er feber et faresignal ved rygsmerter?",
    "må jeg tage feberstillende for min iskias?",
    "begge mine lår er ømme efter squats i går",
    "jeg går helt fint og har fuld kraft i begge hænder",
    "min moster har sklerose og prikken i begge arme. jeg har selv bare en stiv nakke",
    "min datter på 8 er i kræftbehandling og jeg har ondt i ryggen af at bære hende",
    "i nyhederne sagde de at man skal ringe 112 hvis man mister kontrollen over blæren",
    "jeg hørte at feber og stiv nakke kan være meningitis, jeg har ingen af delene",
    "min bror sprøjter heroin",  # a relative's drug use, without his pain
    # sixth session (batches AG-AJ)
    "smerten er faldet fra 7 til 3",  # a number going down, not a fall
    "Jeg har været tjekket for kræft og det var ikke kræft",
    "Kan gabapentin give problemer med rejsningen?",
    "Lægen tjekkede mig i dag: kraft, følesans og reflekser helt normale",
    "hun testede reflekser og kraft i begge ben og sagde det hele var fint",
    "En anden bil kørte ind i min parkerede bil mens jeg var inde og handle",
    "sidder foran pc hele dagen, nakken er smadret",
    "Min far er 70 og jeg er 40. Jeg har fået iskias for første gang",
    "Jeg tisser lidt når jeg nyser, det har jeg gjort siden jeg fødte for 8 år siden",
    "Min mand har været inkontinent siden sin operation i 2012, det er helt uændret",
    "Nakken knaser hver gang jeg drejer hovedet. Er det kræft??",
    "hverken feber, vægttab eller natlige smerter",  # the item after the list's 'eller'
    "Begge mine ben er trætte efter vi gik 12 km i går",
    "Paræstesier på ydersiden af højre fod, hvor længe varer det?",  # not 'parese'
    "Lammet af skræk, lægen siger det er en prolaps",  # 'lægen' is the doctor, not 'læggen'
    "Jeg har læst på sundhed.dk at man skal ringe 112 ved urinretention. Jeg har ikke noget af det",
    "Havde influenza med feber i sidste uge, den er væk nu, men ryggen driller stadig",
    "jeg er nu 38 og har ondt i ryggen",  # an age, not a temperature
    "Var følelsesløs i skridtet efter en lang cykeltur, men det var væk samme aften",
    "Min mand fik rejsningsproblemer efter han startede på blodtryksmedicin for 2 år siden",
    "Jeg går lidt ustabilt fordi jeg har forstuvet min ankel",
    "hvad er tegnene på hjernehindebetændelse?",
    "Faldt ned fra nederste trin og landede på fødderne, slog ikke noget. Lænden er lidt øm",
    "Min mand siger jeg går som en pingvin fordi jeg skåner det onde ben",
    "Min hånd sov i nat fordi jeg lå på den, nu er den helt fin igen",
    "Jeg kan stå på tæer og hæle og begge ben er stærke",
]


@pytest.mark.parametrize("text", CONTEXT_CANCELLED)
def test_context_rules_cancel_signs_that_are_not_the_patients_own_or_current(text: str) -> None:
    assert detect(text) == []


CONTEXT_KEPT = [
    ("radic_soon", "min mand siger jeg har tabt mig 10 kilo"),
    ("radic_soon", "min kone har bemærket vægttab"),
    ("radic_soon", "jeg har haft brystkræft ligesom min mor"),
    ("radic_soon", "både min far og jeg har haft kræft"),
    ("radic_soon", "min søn på 16 har fået ondt i ryggen"),  # a parent may write for a child
    ("radic_soon", "jeg havde prostatakræft for 3 år siden"),  # cancer history stays, however long ago
    ("radic_soon", "jeg er mand på 62 og har fået ondt i ryggen for første gang"),
    ("neck_trauma", "blev påkørt i går ligesom for 2 år siden"),  # recent: kept
    ("neck_trauma", "blev påkørt for 3 dage siden"),
    ("neck_trauma", "faldt paa isen i mandags"),
    ("neck_trauma", "jeg faldt igen på isen ligesom for 2 vintre siden"),
    ("neck_trauma", "var i en bilulykke for 2 måneder siden og har haft ondt i nakken lige siden"),
    ("spinal_infection", "jeg har feber nu, havde også feber for en måned siden"),
    ("spinal_infection", "jeg blev nyretransplanteret for 10 år siden"),  # immunosuppression lasts
    ("radic_soon", "har taget prednisolon i mange år og fik en blokade sidste måned"),
    ("radic_soon", "jeg er i behandling med prednisolon for min PMR"),
    ("ces_sexual", "kan ikke faa den op mere siden rygsmerterne kom"),
    ("spinal_infection", "havde feber for 3 dage siden men det er væk nu"),  # days: kept
    ("spinal_infection", "havde feber for 3 uger siden"),  # weeks without recovery: kept
    ("spinal_infection", "jeg sprøjter mig nogle gange og har ondt i ryggen"),  # not an injection treatment
    ("spinal_infection", "har brugt kanyler de sidste måneder"),
    ("spinal_infection", "min kone siger jeg skal have kemo"),
    ("neck_meningitis", "jeg har meningitis"),
    ("neck_trauma", "var i en ulykke i 2015 og fik piskesmæld igen i går"),
    ("neck_stroke", "nu hænger hans ene mundvig"),
    ("ces_saddle", "kunne slet ikke mærke noget forneden"),
    ("ces_sexual", "vi prøvede at være sammen og jeg kunne slet ikke mærke noget"),
    ("radic_soon", "min mor har knogleskørhed og har fået voldsomme smerter i ryggen"),  # she is the patient
    ("spinal_infection", "jeg tager panodil mod feber og har ondt i ryggen"),  # her own fever
    ("neck_stroke", "hvad er det der gør at jeg ser dobbelt"),  # a question about a current sign
    ("ces_sphincter", "i 2015 kunne jeg ikke tisse, det gik over, men i dag kan jeg igen ikke tisse"),
    ("ces_sphincter", "skal jeg ringe 112 hvis jeg ikke kan tisse?"),  # may be about now: kept
    ("spinal_infection", "min søn på 16 har feber og ondt i ryggen"),  # the child is the patient
    ("spinal_infection", "min ven fixer og jeg har også fixet, nu har jeg ondt i ryggen"),
    ("neck_soon", "min mand er 71 og har for første gang i sit liv fået ondt i nakken"),
    ("ces_sphincter", "I have back pain and i can't hold my pee"),  # another language
    ("ces_sphincter", "kan ikke få vandet ud, der kommer næsten intet"),
    ("ces_sphincter", "min mand vådte sengen i nat"),
    ("ces_sphincter", "jeg kunne ikke holde på det bagfra i dag"),  # a negation inside the sign
    ("legs_both", "i morges kunne jeg gå, nu kan jeg knap løfte benet, værre time for time"),
    ("ces_sphincter", "når jeg tisser kan jeg ikke mærke at det løber ud"),
    ("legs_both", "nu stråler det ned i begge ben, ikke kun det venstre"),  # "ikke kun" affirms
    ("neck_stroke", "nakke gør ondt og jeg ser dobbelt, hvad er det"),  # the question comes after
    ("radic_soon", "min mor på 78 har knogleskørhed. hun har fået slemme smerter i ryggen"),
    ("ces_sphincter", "han har ikke tisset i 14 timer selvom han prøver"),
    ("ces_sphincter", "i nat jeg har tisset i seng, det aldrig sket før"),
    ("neck_cord", "ondt i nakken og nu prikken i højre arm og også i venstre ben"),
    ("neck_stroke", "i dag har jeg været væk et par sekunder to gange"),
    ("radic_soon", "min mor på 74 har aldrig haft ondt i ryggen, men nu har hun fået smerter i lænden"),
    ("radic_soon", "jeg har haft kraeft"),  # kræft without æ
    ("ces_saddle", "når jeg tørrer mig er det som at tørre en andens numse, der er ingen følelse"),
    ("legs_both", "mit ben klapper sammen under mig, kan overhovedet ikke stå på det mere"),
    ("neck_stroke", "et kæmpe jag i nakken og nu drejer hele rummet rundt og jeg har kastet op"),
    ("leg_weakness", "min fod er begyndt at klaske i gulvet når jeg går"),
    ("spinal_infection", "min bror sprøjter heroin og har de sidste 4 dage haft helt vildt ondt i lænden"),
    ("neck_meningitis", "jeg tror det kan være meningitis, jeg har feber og stiv nakke"),
    # sixth session: the new cancelling rules leave a current sign alone
    ("ces_sphincter", "Lægen testede kraften i begge ben i går, det var fint, men nu kan jeg ikke mærke tissen"),
    ("ces_sphincter", "Kan iskias give problemer med at tisse? Jeg kan ikke tisse nu"),
    ("ces_sphincter", "tisser i bukserne når jeg hoster, det er nyt siden i går"),
    ("ces_sphincter", "Jeg tisser lidt i bukserne når jeg nyser"),  # no history given: kept
    ("neck_trauma", "jeg faldt fra 3 meter til jorden og slog nakken"),
    ("neck_trauma", "Min bil blev ramt mens jeg sad i den parkeret, nu ondt i nakken"),
    ("legs_both", "ondt i begge ben, det er nok gigten, men nu er de svage siden i morges"),
    ("radic_soon", "har tabt 6 kilo paa en maaned uden at vaere paa kur"),
    ("radic_soon", "Jeg har haft brystkræft, og er blevet tjekket for spredning"),
    ("ces_sphincter", "jeg har ondt når jeg presser på toilettet, og det er svært at tisse"),
    ("ces_sphincter", "blæren føles fuld men der kommer næsten intet"),
    ("ces_saddle", "numb omkring numsen siden i går"),
    ("legs_both", "benet bliver svagere og svagere, kan knap stå på det i dag"),
    ("neck_soon", "Har aldrig haft nakkeproblemer i mine 64 år, men nu har jeg fået ondt"),
    ("ces_sphincter", "haha nu kan jeg ikke engang mærke når jeg tisser 😂 sikkert ingenting"),  # a joke
    ("radic_soon", "Er det kræften der er kommet igen?"),
    ("leg_weakness", "svag i læggen og foden hænger"),
    ("radic_soon", "hverken feber eller vægttab, men natlige smerter"),
    ("ces_sphincter", "Jeg har læst på sundhed.dk at man skal ringe 112 ved urinretention. Jeg kan ikke tisse"),
    ("neck_meningitis", "tror det er meningitis, jeg har feber og stiv nakke"),
    ("ces_saddle", "Hele skrittet er nummen"),
    ("neck_trauma", "en lastbil kørte ind bagi os i går, nu ondt i nakken"),
    ("legs_both", "Mit højre ben var svag, nu i dag er venstre også svag"),
    ("spinal_infection", "nu 38,5 og ondt i ryggen"),  # a temperature with a decimal
    ("legs_both", "ondt i ryggen og nu sovende og kraftløse ben, begge to"),
    ("neck_cord", "føles som om jeg går på vat og benene er helt ustabile"),
    ("ces_saddle", "Sex i går og jeg kunne ingenting mærke i skeden"),
    ("ces_sexual", "fik rejsningsproblemer for 2 år siden, men nu er det pludselig helt væk og jeg kan ikke tisse"),
    ("ces_saddle", "følelsesløs i skridtet efter en cykeltur i går og den er der stadig"),
    ("neck_soon", "nej ikke begge arme, kun den højre. den sover og er svag"),
    ("ces_saddle", "Er følelsesløshed i skridtet en bivirkning af Lyrica? Det startede i morges"),
    ("ces_sphincter", "når jeg tisser er det som en andens krop, jeg kan slet ikke mærke det løbe"),
    ("ces_saddle", "som at sidde på en ispose hele tiden, helt nede mellem benene"),
    ("ces_sexual", "vi prøvede at være sammen, men der er slukket for strømmen dernede"),
    ("legs_both", "Benet er som om det ikke er mit. Jeg kan ikke løfte det og det er værre siden i morges"),
    ("neck_cord", "min kone siger jeg går som en nyfødt kalv"),
    ("neck_trauma", "faldt ned fra taget og landede på fødderne, nu gør nakken ondt"),
    ("radic_soon", "min datter på 15 har fået iskias, jeg er 45"),  # a parent writing for a child
]


@pytest.mark.parametrize(("flag_id", "text"), CONTEXT_KEPT)
def test_context_rules_keep_the_patients_own_current_signs(flag_id: str, text: str) -> None:
    assert flag_id in ids(text)


def _config_with_rules(rules: dict) -> dict:
    config = dict(detector_module._raw_config(str(load_red_flags.__globals__["default_path"]())))
    language = {k: v for k, v in config["language"].items() if k != "hypothetical_kept_by"}  # names a rule
    config["language"] = {**language, "context_rules": rules}
    return config


NABO = {"applies_to": ["emergency"], "cues": ["nabo*"]}


@pytest.mark.parametrize(
    ("rule", "pattern", "text", "fires"),
    [
        ({**NABO, "before": 2}, "rød bil", "naboens rød bil", False),
        ({**NABO, "before": 1}, "rød bil", "naboen har en rød bil", True),  # too far before
        ({**NABO, "before": 2}, "rød bil", "naboen har en rød bil", False),
        ({**NABO, "before": 6}, "rød bil", "naboen og min bror har en rød bil", True),  # a scope breaker
        ({**NABO, "before": 6}, "rød bil", "naboen, rød bil", True),  # another clause
        ({**NABO, "before": 6, "keep_between": ["jeg"]}, "rød bil", "naboen siger jeg har rød bil", True),
        ({**NABO, "before": 6, "keep_between": ["jeg"]}, "rød bil", "jeg siger naboen har rød bil", False),
        ({"applies_to": ["test"], "cues": ["i går"], "after": 1}, "rød bil", "rød bil i går", False),
        ({"applies_to": ["soon"], "cues": ["i går"], "after": 1}, "rød bil", "rød bil i går", True),
        ({"cues": ["i går"], "after": 1}, "{r} rød bil", "rød bil i går", False),  # tagged pattern
        ({"cues": ["i går"], "after": 1}, "{r} rød bil", "rød bil", True),
        ({"cues": ["i går"], "after": 1, "keep_in_sentence": ["igen"]}, "{r} rød bil", "igen rød bil i går", True),
        ({"cues": ["*båd"], "cue_inside_sign": True}, "{r} rød*", "en rødbåd", False),
        ({"cues": ["*båd"]}, "{r} rød*", "en rødbåd", True),
        ({"cues": ["i går"], "after": 1}, "{r} rød ~3~ bil", "bilen er rød i går", False),
        ({"cues": ["i går"], "after": 1}, "{r} rød & bil", "rød i går. en bil", False),
    ],
)
def test_context_rule_syntax(rule: dict, pattern: str, text: str, fires: bool) -> None:
    detector = detector_module.Detector(make_flag(pattern), _config_with_rules({"r": rule}))
    assert bool(detector.detect(text)) is fires


@pytest.mark.parametrize(
    ("rules", "pattern"),
    [
        ({}, "{ukendt} rød bil"),
        ({"r": {"cues": ["x"]}}, "{} rød bil"),
        ({"r": {"cues": []}}, "rød bil"),
        ({"r": {"cues": ["a & b"]}}, "rød bil"),
        ({"r": {"cues": ["(a"]}}, "rød bil"),
        ({"r": "cues"}, "rød bil"),
        ({"r": {"cues": ["x"], "before": "to"}}, "rød bil"),
    ],
)
def test_bad_context_rules_are_reported(rules: dict, pattern: str) -> None:
    with pytest.raises(PatternError):
        detector_module.Detector(make_flag(pattern), _config_with_rules(rules))


# ------------------------------------------------------------------------ urgency selection


def test_most_urgent_picks_top_tier() -> None:
    detections = detect("jeg har haft kræft, har feber og kan ikke tisse")
    assert {"radic_soon", "spinal_infection", "ces_sphincter"} <= {d.flag_id for d in detections}
    assert most_urgent(detections).tier == "emergency"
    assert detections[0].tier == "emergency"  # sorted most urgent first


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("jeg har feber og stiv nakke", "emergency"),
        ("feber og ondt i ryggen", "same_day"),
        ("jeg har tabt mig og foden hænger", "same_day"),
        ("jeg har tabt mig", "soon"),
        ("foden hænger og jeg kan ikke mærke når jeg tisser", "emergency"),
        ("mit ben giver efter", "same_day"),
        ("mit ben giver efter, det er meget værre end i morges", "emergency"),  # within hours
        ("mit ben giver efter, det er blevet værre siden i mandags", "same_day"),  # over days
        ("jeg er 68 og har aldrig haft ondt i ryggen før", "soon"),
        ("jeg slæber det ene ben, og det er blevet meget værre siden i morges", "emergency"),
        ("benet giver efter! i går kunne jeg gå fint", "emergency"),
        ("jeg slæber det ene ben, det er blevet værre siden i mandags", "same_day"),
        ("mine ben klappede sammen under mig uden varsel", "emergency"),
        ("det stikker i benet", "none"),
    ],
)
def test_top_tier(text: str, tier: str) -> None:
    assert top_tier(text) == tier


def test_most_urgent_prefers_patients_condition_on_a_tie() -> None:
    detections = detect("jeg kan ikke tisse")
    assert {"neck_bladder", "ces_sphincter"} <= {d.flag_id for d in detections}
    assert most_urgent(detections, "radiculopathy").flag_id == "ces_sphincter"
    assert most_urgent(detections, "neck").flag_id == "neck_bladder"


def test_most_urgent_of_nothing() -> None:
    assert most_urgent([]) is None
    assert most_urgent(None) is None


def test_matched_phrase_is_normalised() -> None:
    (det,) = [d for d in detect("Jeg er FØLELSESLØS i skridtet!") if d.flag_id == "ces_saddle"]
    assert det == Detection("ces_saddle", "emergency", "foelelsesloes i skridtet", ("radiculopathy",))


# ------------------------------------------------------------------------- garbage never raises

GARBAGE = [
    "",
    "   ",
    None,
    12345,
    "😀" * 500,
    "<script>alert('x')</script>",
    "<b>kan ikke tisse</b>",
    "x" * 20_000,
    "kan " * 5_000,
    "ikke " * 5_000,
    "kan ikke " * 2_000 + "tisse",
    "(((([[[[|||~~~&&&$$$@@@***",
    "\x00\x01\x02\u200b\ufeff",
    "Z̷̢͎a̵l̶g̸o̷ tekst",
    "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ",
    "\n\n\n.\n,\n;",
    "1234567890.1234567890,9999",
    "a" * 100_000,
]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(text: object) -> None:
    result = detect(text)  # type: ignore[arg-type]
    assert isinstance(result, list)


def test_html_wrapped_flag_still_fires() -> None:
    assert "ces_sphincter" in ids("<p>jeg <b>kan ikke tisse</b></p>")


def test_long_message_with_flag_at_the_end_fires_and_is_fast() -> None:
    """A sign at the end of a pasted 20,000-character text is found, and the text does not hang the bot.

    The bound catches a hang (minutes), not a speed target: about 0.2 s here, measured by `make eval`."""
    text = "jeg har ondt i nakken og ryggen. " * 600 + "Og nu kan jeg ikke tisse."
    started = time.perf_counter()
    assert "ces_sphincter" in ids(text)
    assert time.perf_counter() - started < 5.0


def test_broken_edit_keeps_last_good_rules(tmp_path: Path) -> None:
    """A clinician's typo in red_flags.yml while the bot runs must not switch detection off."""
    import os

    path = tmp_path / "red_flags.yml"
    original = (ROOT / "content" / "red_flags.yml").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    assert get_detector(path=path).detect("kan ikke tisse")
    path.write_text(original.replace('"@kræft"', '"(@kræft"'), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert get_detector(path=path).detect("kan ikke tisse")  # previous rules still in force
    detector_module.clear_cache()
    with pytest.raises(PatternError):  # at start-up a broken file fails loudly
        get_detector(path=path)


def test_internal_error_is_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: object) -> list:
        raise RuntimeError("bug")

    monkeypatch.setattr(detector_module, "tokenise", boom)
    assert detect("kan ikke tisse") == []


# ---------------------------------------------------------------------------- pattern syntax


def make_flag(*patterns: str, negatable: bool = True) -> list[RedFlag]:
    return [RedFlag("test", "emergency", (), None, None, "Test.", tuple(patterns), negatable)]


@pytest.mark.parametrize(
    ("pattern", "text", "fires"),
    [
        ("rød bil", "en rød bil", True),
        ("rød bil", "en rød hurtig bil", False),
        ("rød ~1 bil", "en rød hurtig bil", True),
        ("rød [meget] bil", "en rød meget bil", True),
        ("rød [meget] bil", "en rød bil", True),
        ("bil*", "bilerne", True),
        ("*bil", "lastbil", True),
        ("=bilen", "bilan", False),
        ("rød|grøn bil", "grøn bil", True),
        ("(rød bil|blå båd)", "en blå båd", True),
        ("kører|(rød bil) hurtigt", "rød bil hurtigt", True),
        ("rød & bil", "bil og så rød", True),
        ("rød & bil", "rød", False),
        ("@vejr regn", "koldt regn", True),
        ("$farve bil", "lyserød bil", True),
        ("sygeplejerske", "sygeplejeske", True),  # typo tolerance on long words
        ("regn", "rgen", False),  # short words must be exact
        ("rød bil", "ingen rød bil", False),  # negation before
        ("rød bil", "rød bil. Ingen båd", True),  # negation in the next sentence
        ("rød ~2~ bil", "bilen er rød", False),  # 'bilen' is not 'bil'
        ("rød ~2~ bil*", "bilen er meget rød", True),  # either order
        ("rød ~2~ bil*", "rød er den bil", True),
        ("rød ~1~ bil*", "bilen er meget rød", False),  # too far apart
        ("rød ~3~ bil*", "bilen, den er rød", False),  # not in the same clause
        ("rød ~3~ bil*", "bilen er ikke rød", False),  # negation between the two sides
        ("rød ~3~ bil*", "ingen rød bil", False),
    ],
)
def test_pattern_syntax(pattern: str, text: str, fires: bool) -> None:
    config = dict(detector_module._raw_config(str(load_red_flags.__globals__["default_path"]())))
    config["word_lists"] = {**config["word_lists"], "vejr": ["koldt", "varmt"]}
    config["phrases"] = {**config["phrases"], "farve": "(lyserød|mørkerød)"}
    detector = detector_module.Detector(make_flag(pattern), config)
    assert bool(detector.detect(text)) is fires


def test_split_compound_is_joined_but_not_with_a_two_letter_word() -> None:
    """ "følelses løs" is read as "følelsesløs", but "min kræft er vendt tilbage" must never become "min
    kræfter vendt tilbage" when another pattern names "kræfter" (it lost a cancer flag that way)."""
    detector = get_detector(make_flag("min kræft ~3 tilbage", "kræfter i benene", "følelsesløs i skridtet"))
    assert detector.detect("min kræft er vendt tilbage")
    assert detector.detect("jeg er følelses løs i skridtet")
    assert not detector.detect("min kræft er væk")


def test_not_negatable_flag_ignores_negation() -> None:
    detector = get_detector(make_flag("rød bil", negatable=False))
    assert detector.detect("ingen rød bil")


def test_shared_phrase_keeps_each_flags_negation_rule() -> None:
    """Equal word sequences are matched once, but `negatable: false` is never shared with other flags."""
    flags = [
        RedFlag("plain", "soon", (), None, None, "Test.", ("rød bil", "blå båd"), True),
        RedFlag("strict", "emergency", (), None, None, "Test.", ("rød bil",), False),
        RedFlag("twin", "same_day", (), None, None, "Test.", ("blå båd & rød bil",), True),
    ]
    detector = get_detector(flags)
    assert {d.flag_id for d in detector.detect("ingen rød bil")} == {"strict"}
    assert {d.flag_id for d in detector.detect("rød bil og blå båd")} == {"plain", "strict", "twin"}


def test_normal_words_turn_a_symptom_negation_into_a_denial() -> None:
    config = dict(detector_module._raw_config(str(load_red_flags.__globals__["default_path"]())))
    detector = detector_module.Detector(make_flag("kan ikke mærke ~3 bil*"), config)
    assert detector.detect("jeg kan ikke mærke bilen")
    assert not detector.detect("jeg kan ikke mærke noget unormalt ved bilen")
    assert detector.detect("jeg kan ikke mærke bilen, det er mærkeligt")  # another clause


def test_a_what_if_keeps_its_sign_when_the_message_says_it_has_happened() -> None:
    """`hypothetical_kept_by` names the context rule whose keep_in_message phrases switch the what-if words off
    ("Hvad hvis jeg får feber? Det har jeg nu"); a name that is no such rule fails at start-up."""
    config = dict(detector_module._raw_config(str(load_red_flags.__globals__["default_path"]())))
    language = dict(config["language"])
    detector = detector_module.Detector(make_flag("feber"), {**config, "language": language})
    assert not detector.detect("hvad hvis jeg får feber?")
    assert detector.detect("hvad hvis jeg får feber? Det har jeg nu")
    without = detector_module.Detector(make_flag("feber"), {**config, "language": {
        k: v for k, v in language.items() if k != "hypothetical_kept_by"}})
    assert not without.detect("hvad hvis jeg får feber? Det har jeg nu")
    with pytest.raises(PatternError):
        detector_module.Detector(make_flag("feber"), {**config, "language": {**language,
                                                                             "hypothetical_kept_by": "nope"}})


@pytest.mark.parametrize(
    "pattern",
    ["", "~2 bil", "bil ~2", "(rød bil", "rød)", "@ukendt", "$ukendt", "[a (b)]", "a & ", "*", "a ~2~ b ~2~ c"],
)
def test_bad_patterns_are_reported(pattern: str) -> None:
    with pytest.raises(PatternError):
        detector_module.Detector(make_flag(pattern), {})


# --------------------------------------------------------------------------- labelled sets


def patterns_only(text: str) -> list:
    """The labelled sets below are training data of the learned safety net, so they measure the
    patterns alone; tests/test_learned_safety_net.py measures the net on a round it never saw."""
    return get_detector().detect(text, learned=False)


def test_dev_set_is_fully_caught() -> None:
    report = evaluate(load_cases(DEV), patterns_only)
    assert [o.case.text for o in report.under_triaged] == []
    assert report.false_alarm_rate <= 0.05


def test_heldout_set_is_big_enough() -> None:
    cases = load_cases(HELDOUT)
    positives = [c for c in cases if c.tier != "none"]
    assert len(positives) >= 60
    assert len(cases) - len(positives) >= 60
    assert {c.expect for c in positives} == {f.id for f in load_red_flags() if not f.learned}
    assert {c.tier for c in positives} == {"emergency", "same_day", "soon"}


def test_heldout_meets_safety_thresholds() -> None:
    """Recall 100% for emergencies, >= 98% overall, false alarms <= 5% (tier-based, see evaluation.py)."""
    report = evaluate(load_cases(HELDOUT), patterns_only)
    missed = [f"{o.case.tier}: {o.case.text}" for o in report.under_triaged]
    assert report.recall("emergency") == 1.0, missed
    assert report.recall() >= 0.98, missed
    assert report.false_alarm_rate <= 0.05, [o.case.text for o in report.false_alarms]


# Blind batches (tuned on since their first run; each file's header keeps its first-run figures):
# same thresholds as the held-out set. Value: (red-flag messages, messages without a flag).
BLIND_SIZES = {
    "d": (70, 70), "e": (60, 60), "f": (50, 50),
    **{x: (60, 60) for x in [*"ghijklmnopqrstuvwxyz", *(f"a{c}" for c in "abcdefghijklmnopqrstuvwxyz"),
                             *(f"b{c}" for c in "abcdefghijklmnopqrstuvwxyz"),
                             "ca", "cb", "cc", "ce", "cf", "cg", "ch", "ci", "cj", "ck", "cl", "cm", "cn",
                             "co", "cp", "cq", "cr", "cs", "ct", "cu", "cv", "cw", "cx", "cy", "cz",
                             "da", "db", "dc", "dd", "de", "df", "dg", "dh",
                             "di", "dj", "dk", "dl", "dm", "dn", "do", "dp", "dq", "dr", "ds", "dt",
                             "du", "dv", "dw", "dx", "dy", "dz", "ea", "eb", "ec", "ed", "ee", "ef",
                             "eg", "eh", "ei", "ej", "ek", "el", "em", "en", "eo", "ep", "eq", "er",
                             "es", "et", "eu", "ev", "ew", "ex", "ey", "ez", "fa", "fb", "fc", "fd",
                             "fe", "ff", "fg", "fh", "fi", "fj", "fk", "fl", "fm", "fn", "fo", "fp",
                             "fq", "fr", "fs", "ft", "fu", "fv", "fw", "fx", "fy", "fz", "ga", "gb",
                             "gc", "gd", "ge", "gf", "gg", "gh", "gi", "gj"]},
    "cd": (60, 59),
}


@pytest.mark.parametrize("batch", sorted(BLIND_SIZES))
def test_blind_batches_meet_safety_thresholds(batch: str) -> None:
    cases = load_cases(ROOT / "tests" / "red_flags" / f"blind_{batch}.yml")
    assert (sum(c.tier != "none" for c in cases), sum(c.tier == "none" for c in cases)) == BLIND_SIZES[batch]
    report = evaluate(cases, patterns_only)
    missed = [f"{o.case.tier}: {o.case.text}" for o in report.under_triaged]
    assert report.recall("emergency") == 1.0, missed
    assert report.recall() >= 0.98, missed
    assert report.false_alarm_rate <= 0.05, [o.case.text for o in report.false_alarms]


def test_labelled_sets_are_valid_yaml_with_known_flags() -> None:
    known = {f.id for f in load_red_flags()}
    for path in (DEV, HELDOUT, *(ROOT / "tests" / "red_flags" / f"blind_{x}.yml" for x in BLIND_SIZES)):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in raw["cases"]:
            assert item["expect"] is None or item["expect"] in known, item


def test_signs_written_next_to_a_harmless_explanation_keep_their_tier() -> None:
    """The context rules drop a sign that a harmless cause explains; a real sign told next to the same
    cause (a panic attack, carpal tunnel, an antidepressant, a form answered yes, a swear word that only
    stresses a word, standing up too fast, "nothing wrong so far", a drink or a medicine that has worn off, a
    question about heredity, another person's illness contrasted with one's own, a normal thermometer
    reading, "snublede næsten på trappen", a craze called a fever, "lammet" as meat, a stroke in sport, strength
    told as normal, a laugh denied as the cause, a sign taken back as another person's, insulin next to
    "sprøjter mig", a fever gone, a diet, "lammet" said of a stiff neck, the last episode, a doctor's advice on
    when to worry, a bike saddle, hearsay, a diet change, both feet felt fine, a loss denied, a relative's age
    with the writer's own pain, a match watched, a hangover, a busy shift, "faldt IKKE", a relative recovered, a
    carer asking how to ask, a limp, a real anaesthetic, a pedal that hurts, a relative's sign long ago, a self-test
    that went fine, a pin-prick test, a look that found nothing, an old injury set apart, something done with both
    arms, both sides of the neck, new knees, another person who is fine, a checklist line headed by a denial, a
    whole-answer denial, a past weakness recovered, a general question with the writer's own side told apart,
    family history, a relative's prostate, a father's medicine, a panic attack that passed, a leak on coughing
    when pregnant, a diet told in another sentence, "er stiv nakke altid ...?", "forneden i ryggen", a checked
    whiplash that is getting better, a face crooked in a photo, "slet ikke" and "stod", a blow denied, advice
    recalled, a carer lifting a relative on chemotherapy) must still escalate."""
    cases = [c for name in ("redteam_ec_ef", "redteam_eg_ej", "redteam_ek_en", "redteam_eo_er", "redteam_es_ev",
                              "redteam_ew_ez", "redteam_fa_fd", "redteam_fe_fh", "redteam_fi_fl",
                              "redteam_fm_fp", "redteam_fq_ft", "redteam_fu_fx", "redteam_fy_gb",
                              "redteam_gc_gf", "redteam_gg_gj")
             for c in load_cases(ROOT / "tests" / "red_flags" / f"{name}.yml")]
    assert len(cases) == 908 and all(c.tier != "none" for c in cases)
    report = evaluate(cases, lambda text: get_detector().detect(text, learned=False))
    assert [o.case.text for o in report.under_triaged] == []


@pytest.mark.parametrize("text", [
    "jeg er bange for at kræften er kommet igen",
    "er bange for at min cancer er vendt tilbage",
])
def test_fear_that_ones_own_cancer_is_back_is_a_cancer_history(text: str) -> None:
    top = most_urgent(detect(text))
    assert top is not None and top.tier == "soon"


# ---------------------------------------------------------------- check topics (ask, do not guess)


@pytest.mark.parametrize(("text", "asked"), [
    ("jeg tisser lidt tit om natten", {"neck_bladder", "ces_sphincter"}),
    ("Hjælper massage? Jeg har også lidt ondt når jeg sidder på toilettet", {"neck_bladder", "ces_sphincter"}),
    ("det er lidt mærkeligt i skridtet", {"ces_saddle"}),
    ("mine hænder føles lidt mærkelige", {"neck_cord"}),
    ("benene er følelsesløse", {"legs_both"}),  # "benene" may mean one leg or both: ask
    ("benene er ikke følelsesløse", set()),
    ("jeg har ondt ned i benene", set()),
    ("jeg kan sagtens tisse", set()),  # denied
    ("kan iskias give problemer med at tisse?", set()),  # a question about it
    ("ingen problemer med toilettet", set()),
    ("jeg kan ikke tisse", set()),  # the sign itself: escalated, not asked
    ("Hjælper massage på nakken?", set()),
])
def test_check_topics_ask_about_a_body_area_only_without_a_sign(text: str, asked: set[str]) -> None:
    flags, topics = detector_module.detect_with_topics(text)
    assert {t.flag_id for t in topics} == asked
    assert not {t.flag_id for t in topics} & {f.flag_id for f in flags}


def test_classifier_turns_a_topic_into_a_check_question_but_not_a_screening_answer() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.red_flag_classifier import RedFlagClassifier

    def classify(text: str, intent: str) -> Message:
        message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9},
                                "intent_ranking": [{"name": intent, "confidence": 0.9}]})
        return RedFlagClassifier({}).process([message])[0]

    asked = classify("jeg tisser lidt tit om natten", "ask_massage")
    assert asked.get("intent")["name"] == "red_flag_check"
    assert {e["value"] for e in asked.get("entities") if e["entity"] == "red_flag_check"} <= {
        "neck_bladder", "ces_sphincter"}
    assert classify("nej, men jeg tisser lidt tit", "deny").get("intent")["name"] == "deny"
    assert classify("jeg kan ikke tisse", "ask_massage").get("intent")["name"] == "red_flag_emergency"
    # the model alone never asks a check question
    assert classify("noget helt andet", "red_flag_check").get("intent")["name"] != "red_flag_check"


def test_patterns_are_compiled_when_the_nlu_component_loads_not_on_the_first_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Compiling takes about 1.5 s; the first patient after a start must not wait for it."""
    from bot.nlu.red_flag_classifier import RedFlagClassifier
    from bot.safety import learned

    monkeypatch.setattr(learned, "scorer", lambda *a, **k: None)
    detector_module.clear_cache()
    try:
        RedFlagClassifier.create({}, None, None, None)  # type: ignore[arg-type]
        assert detector_module._file_detectors, "the detector was not built at start-up"
    finally:
        detector_module.clear_cache()


def test_the_action_server_compiles_the_patterns_before_it_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screening actions call the detector; compiling it on a patient's first answer overran Rasa's
    action timeout on a busy machine, and the patient got an apology instead of the escalation."""
    from bot.actions import server
    from bot.safety import learned

    monkeypatch.setattr(learned, "scorer", lambda *a, **k: None)
    detector_module.clear_cache()
    try:
        server.warm_up()
        assert detector_module._file_detectors, "the action server did not build the detector before serving"
    finally:
        detector_module.clear_cache()


# ------------------------------------------------- short forms, self-corrections, neighbour languages


@pytest.mark.parametrize(("text", "tier"), [
    # the dot of "pga." or "el." does not end the sentence, so the denial reaches the sign
    ("Jeg havde feber i sidste uge pga. influenza, den er helt væk nu. Ryggen gør ondt", None),
    ("stiv nakke efter at ha sovet i træk, ingen hovedpine el. feber", None),
    ("jeg har feber, ca. 39 og helt stiv nakke", "emergency"),
    # a sentence taken back at once is void; what follows is read as usual
    ("Prikker i begge ben... nej vent, det passer ikke, det er kun i venstre", None),
    ("nej kun i højre... nej vent, nu er det også begyndt at stråle ned i venstre ben", "emergency"),
    ("Jeg kan ikke tisse. Det passer ikke sammen med det lægen sagde", "emergency"),
    # a harmless cause and it passed; kept when it did not pass
    ("begge ben sov da jeg havde siddet for længe på toilettet, gik over efter et minut", None),
    ("begge ben sover, jeg havde siddet for længe, men det er ikke gået over", "emergency"),
    ("prikken i begge hænder da jeg sov på armene i nat, men det forsvandt straks", None),
    ("Mit ben var lidt svagt fordi jeg havde siddet på det, men det gik over efter 5 min", None),
    # Swedish and Norwegian
    ("Jag har ont i ryggen och kan inte kissa sen igår kväll", "emergency"),
    ("Jag har ischias i båda benen nu", "emergency"),
    ("Jag har 39,5 i feber och stel nacke", "emergency"),
    ("Beina mine ga bare etter og jeg datt", "emergency"),
    ("Jag har inte gått ner i vikt och har ingen cancer", None),
    ("Jag har tappat 8 kilo utan att försöka och har fått ont i ryggen", "soon"),
])
def test_short_forms_self_corrections_and_neighbour_languages(text: str, tier: str | None) -> None:
    top = most_urgent(get_detector().detect(text, learned=False))
    assert (top.tier if top else None) == tier, text


# ------------------------------------------------- what-ifs, reasons, timelines (blind batches BE-BH)


@pytest.mark.parametrize(("text", "tier"), [
    # a what-if about a sign that holds its own negation is a question, unless it is happening now
    ("Hvad hvis jeg pludselig ikke kan tisse? Hvad skal jeg så gøre?", None),
    ("man skal til lægen hvis man ikke kan mærke når man tisser", None),
    ("Hvad hvis jeg ikke har kunnet tisse siden i morges?", "emergency"),
    ("Er det farligt hvis man ikke har kunnet tisse i 12 timer?", "emergency"),
    ("Jeg kan ikke tisse. Hvad hvis det er farligt?", "emergency"),
    ("Hvad betyder det at jeg ikke kan mærke når jeg tisser?", "emergency"),
    # read about, then clearly denied
    ("Jeg har læst at man skal passe på hvis det giver elektriske stød når man bøjer nakken. "
     "Det har jeg heldigvis ikke", None),
    ("hvad vil det sige at have følelsesløshed i ridebukseområdet? har jeg ikke, men lægen nævnte det", None),
    # one dropped thing with an outside reason; kept when it keeps happening
    ("Jeg tabte en kop i går men det var fordi katten sprang op på mig, ikke fordi hånden er svag", None),
    ("tabte telefonen i går haha, ellers fint med hænderne", None),
    ("Jeg taber ting hele tiden, det var fordi hænderne er klodsede", "emergency"),
    # tripping over a thing is not a weak leg; tripping often is
    ("Jeg snublede over legetøj på gulvet, ikke fordi benet svigtede", None),
    ("jeg snubler over tæppet hele tiden", "same_day"),
    # other people's fevers, fevers long before the pain; a child's fever with the child's own stiff neck
    ("Min kæreste havde feber i sidste uge, nu har jeg ondt i ryggen. Jeg har ikke selv feber", None),
    ("Jeg havde influenza med feber i januar, længe før ryggen begyndte at drille i marts", None),
    ("Jeg havde feber i januar, længe før ryggen begyndte, og nu har jeg feber igen", "same_day"),
    ("min søn 39,5 feber, stiv i nakken og prikker på huden der ikke forsvinder", "emergency"),
    ("min datter har feber og jeg er helt stiv i nakken", None),
    ("Min mor har 38,9 i feber og nye smerter i ryggen med iskias", "same_day"),
    # sore after exercise is not a sign; weak is
    ("Jeg har ømme lår i begge ben efter benøvelser i fitness i går", None),
    ("svage og ømme i begge ben efter træning i går", "emergency"),
    # a cleared suspicion is not a history of cancer; a history is
    ("Der var mistanke om brystkræft sidste år, men det viste sig at være en godartet cyste, så ingen kræft", None),
    ("jeg har haft brystkræft og nu har jeg ondt i ryggen", "soon"),
    # new wordings of emergency signs
    ("som strøm ned i benene naar jeg kigger ned", "emergency"),
    ("det strømmer ned i benet når jeg bøjer mig ned", None),
    ("det med blæren er blevet værre, nu kommer der næsten ingenting ud selvom jeg skal tisse", "emergency"),
    ("på bare et par timer er mit højre ben blevet så svagt at det klapper sammen under mig", "emergency"),
    ("venstre ben klapper sammen, i går haltede jeg lidt men i dag kan jeg ikke stå på det", "emergency"),
    ("Kan ikke stå på tæer eller hæle på nogen af benene i dag, i går kunne jeg godt", "emergency"),
    ("er 17, første gang ondt i lænden ned i benet", "soon"),
    # blind batches BI-BL: numbers, panic, after a visit, double negations
    ("kiropraktoren vidste ikke at jeg har leddegigt. nu er nakken værre", "soon"),
    ("Kan ikke sige at jeg ikke har tisset i bukserne i nat... det er sket to gange nu", "emergency"),
    ("Lægen undersøgte mig grundigt, testede kraft og følelse og sagde at det ligner en diskusprolaps", None),
    ("jeg har haft kraeft i brystet", "soon"),
    ("Min kone hænger i den ene side af ansigtet. Hun har haft ondt i nakken siden i går", "emergency"),
    ("jeg har ingen følelse i tommel- og pegefinger på højre hånd", "soon"),
    ("vægttab nej tværtimod, har taget 3 kg på af at ligge på sofaen", None),
    ("har taget 5 kilo af uden at prøve", "soon"),
    ("Vægten er gået fra 78 til 71 kg siden jul uden jeg har ændret noget", "soon"),
    ("nakken har ikke ændret sig det mindste i 5 uger trods fysio", "soon"),
    ("jeg er 15 og har haft ondt i nakken i 2 uger", "soon"),
    ("jeg er 15 og har ondt i nakken igen, som altid efter fodbold", None),
    ("Kan ikke staa paa benene, de er saa svage. Har ligget paa gulvet siden kl 11", "emergency"),
    ("Min mand kan pludselig ikke løfte nogen af benene ordentligt", "emergency"),
    ("Kunne stå på tæer på venstre ben i mandags, i onsdags kun et par gange, i dag slet ikke", "same_day"),
    ("Jeg kan gå på tæer og hæle med begge ben, 10 skridt hver", None),
    ("Jeg bruger ikke længere krykker, jeg kan gå fint på begge ben igen", None),
    ("jeg kan stå, men har ondt i begge ben", "emergency"),
    ("Det var min søn på 4 der havde 38,5 i feber, ikke mig. Min ryg er uændret", None),
    ("Havde 39 i feber i november da jeg fik corona, men nu 4 måneder efter har jeg iskias og ingen feber", None),
    ("Lægen sagde det ikke var meningitis. Feberen kom fra halsbetændelse og er væk nu", None),
    ("Jeg har 39 i feber og ondt i ryggen, hovedpinen er væk nu", "same_day"),
    ("min far faldt på cyklen i går, men jeg skriver om min egen iskias", None),
    ("jeg var bange for at jeg ikke kunne tisse i morges, men det kom fint", None),
    ("jeg er bange for at jeg ikke kan tisse", "emergency"),
    ("Blev DXA-scannet sidste år for knogleskørhed og det var helt normalt", None),
    ("Min kæreste ligger med feber. Jeg har det ellers fint, bare ondt i ryggen", None),
    # blind batches BM-BP: known conditions, away from home, treatment questions, several body parts
    ("Jeg fik en blodprop for 5 år siden og min venstre arm er stadig lidt svag, det er ikke noget nyt", None),
    ("min venstre arm er blevet svag og prikker", "soon"),
    ("Benet var lidt svagt i sidste uge men det er helt normalt igen nu og smerterne er mindre", None),
    ("Benet var svagt i sidste uge, det blev normalt igen, men nu er det svagt igen", "same_day"),
    ("Jeg stødte hovedet let mod en skabslåge i går uden problemer", None),
    ("Jeg slog hovedet hårdt mod en hylde og besvimede", "emergency"),
    ("Min kat faldt ned fra altanen i går og har det heldigvis fint, men jeg har ondt i nakken", None),
    ("jeg faldt over katten og slog nakken hårdt mod gulvet", "emergency"),
    ("Begge hænder er ømme og har vabler efter havearbejde, men der er ingen prikken", None),
    ("Begge hænder er ømme og jeg taber ting hele tiden", "emergency"),
    ("Jeg har ikke tabt mig og spiser fint. Skal jeg bekymre mig om kræft når ryggen gør ondt?", None),
    ("Jeg har haft kræft, og nu er jeg bange for at den er kommet igen", "soon"),
    ("min bedstefar fik lammelser i begge ben efter en operation engang, jeg er bare nysgerrig", None),
    ("Jeg har det bare generelt dårligt, træt og uoplagt i flere uger, og så har jeg fået iskias", "soon"),
    ("føler mig i det hele taget bare ikke rask, træt og uoplagt i flere uger", "soon"),
    ("Har prøvet at tisse i over 8 timer men der kommer kun nogle dråber, blæren føles fuld", "emergency"),
    ("fra i dag kan jeg ikke løfte foden eller tæerne på nogen af fødderne", "emergency"),
    ("Mine ben falder bare sammen under mig, begge to, og jeg kan ikke mærke dem ordentligt", "emergency"),
    # blind batches BQ-BT: dialect, corrections and answered questions, medicines
    ("æ ka ik tiss. har prøvet hele morgenen å der kommer sgu ingenting", "emergency"),
    ("æ ka godt tiss, ingen problemer", None),
    ("ja ka ente mærke nåd omkring numsen å på indersiden af lårene siden i går", "emergency"),
    ("ka ik knappe mi skjort længer, fingrene vil ik som æ vil", "emergency"),
    ("ded e 5 uger sia ja fik ondt i nakken å ded e ente blevet spor bedre", "soon"),
    ("kørte i grøften me bilen i går aftes, nu ka æ knap dreje hovedet", "emergency"),
    ("nu vil han sgu ik rejse sig længer dernede. det har aldrig været et problem før", "emergency"),
    ("Har du feber? ja 39", "same_day"),
    ("Følelsesløshed i skridtet? nej overhovedet ikke. Kun lidt prikken i storetåen", None),
    ("Har jeg svaghed i armene? ja begge to, mest højre men venstre er også svag nu", "emergency"),
    ("feber nej, kræft nej aldrig, problemer med at tisse eller holde på afføringen nej, begge ben nej kun højre",
     None),
    ("jeg har problemer med at tisse eller holde på afføringen", "emergency"),
    ("begge ben, ikke kun det venstre", "emergency"),
    ("Jeg skrev før at jeg havde det i begge ben, men det var forkert, det er kun det højre", None),
    ("jeg kan ikke tisse, men det var forkert at vente så længe", "emergency"),
    ("ondt i nakken. nej vent det er ikke kun højre arm der sover, venstre er også begyndt at blive følelsesløs",
     "emergency"),
    ("Kan du holde på afføringen? -> nej ikke mere, det er sket to gange i dag at det bare kom uden jeg mærkede det",
     "emergency"),
    ("Jeg faldt på isen for 10 år siden, men det her startede bare af sig selv i mandags", None),
    ("det trafikuheld æ var i er 20 år siden, nakken har været fin siden", None),
    ("Kemo? Nej nej, jeg har aldrig haft kræft, lægen spurgte bare", None),
    ("Bliver man impotent af morfin? spørger for en ven", None),
    ("Fik en kortisonkur i en uge for astma. Tæller det som at have taget binyrebarkhormon længe?", None),
    ("Mit venstre knæ giver lidt efter på trapper og det er blevet værre over de sidste 4-5 dage", "same_day"),
    # blind batches BU-BX: quoted and reported questions with their answers, emoji, second-language Danish
    ("Kan du tisse? Nej", "emergency"),
    ("Lægen spurgte: kan du tisse? Nej, jeg har prøvet hele formiddagen", "emergency"),
    ("Kan du tisse? ja fint", None),
    ("Har du følelsesløshed i skridtet? ja", "emergency"),
    ("Har du følelsesløshed i skridtet? lidt", "emergency"),
    ("Har du følelsesløshed i skridtet? nej", None),
    ("Har du svært ved at tisse? Nej. Kan du mærke når du tisser? Ja.", None),
    ("Mærker du noget i skridtet? nej, kun i låret og læggen", None),
    ("Mærker du det når du tisser? ikke rigtig, det løber bare", "emergency"),
    ("Har du kontrol over afføringen? nej desværre, det er gået galt to gange i dag", "emergency"),
    ("Har du følelse omkring endetarmen? nej ikke rigtig", "emergency"),
    ("Går du stabilt? nej desværre, jeg vralter og må holde fast i væggene", "emergency"),
    ("Har du ondt i begge ben? nej kun det venstre, ned til knæet", None),
    ("Er begge arme påvirket? nej, det er kun højre skulder der er øm", None),
    ("hovedpine? nope. feber? nope. lysfølsom? nope, bare ondt i nakken", None),
    ("Er det farligt at jeg ikke kan tisse? nej vel?", "emergency"),
    ("Har du tabt dig uden at prøve? ja, 7 kilo siden jul uden at jeg har slanket mig", "soon"),
    ("sygeplejersken spurgte om jeg stadig kunne maerke blaeren. ikke rigtig. er det slemt?", "emergency"),
    ("Min mand bliver spurgt om han kan få rejsning. Nej ikke siden iskiassmerterne startede", "emergency"),
    ("hun spurgte om jeg havde feber. nej", None),
    ("💩 kommer bare uden jeg kan styre det… ryg+ben smerter", "emergency"),
    ("ryg 🔥🔥 + 🤒 + svedeture om natten", "same_day"),
    ("back pain and now i cant control blære, det løber bare", "emergency"),
    ("min læge sagde hvis jeg ikke kan tisse skal jeg ringe 112, er det rigtigt?", None),
    ("jeg tog prednisolon i 5 dage for 10 år siden for allergi, betyder det noget?", None),
    ("jeg har taget prednisolon dagligt i 3 år", "soon"),
    ("katten har tisset i sengen og nu har jeg ondt i ryggen af at skifte dynebetræk", None),
    ("benene er fine begge to, det er kun ryggen", None),
    ("ka ik løfte nogen af armene op over hovedet længere, de er så svage", "emergency"),
    ("a æ 68 å ha aldrig hat ondt i ryggen før, no ha a iskias", "soon"),
    ("min mor har osteoporose og er begyndt at klage over ondt i nakken", "soon"),
    # blind batches BY-CB: ticked checklists, care-staff reports, negation words that do not deny, numbness
    # with a harmless cause that is gone
    ("1. smerter i ryggen: ja\n2. feber: nej\n3. kan du mærke når du tisser: nej", "emergency"),
    ("1. feber: nej 2. tissebesvær: nej 3. vægttab: nej 4. tidligere kræft: nej", None),
    ("✗ feber\n✗ problemer med at tisse\n✗ følelsesløs i skridtet\n✓ ondt i højre ben", None),
    ("Feber ✗ Vægttab ✗ Natlige smerter ✗ Kræft ✗", None),
    ("Tjekliste:\n[ ] feber\n[ ] tisseproblemer\n[x] smerter i ét ben", None),
    ("[x] feber\n[ ] tisseproblemer", "same_day"),
    ("✓ kan ikke holde på vandet\n✗ feber", "emergency"),
    ("kan ikke tisse 🚽❌ siden i morges", "emergency"),
    ("❌ kan ikke holde på vandet", "emergency"),
    ("Observeret ved morgenbesøg: borger har ikke ladt vandet siden i går kl. 18", "emergency"),
    ("efter squats i går har jeg ingen kraft i armene", "emergency"),
    ("Fysioterapeuten har målt at tåløftet på hans højre fod er blevet dårligere siden mandag", "same_day"),
    ("Beboer på 82 med nakkesmerter for første gang", "soon"),
    ("Træner her: en af mine U17-spillere har ondt i nakken, det kom bare for en uge siden", "soon"),
    ("Min datter på 14 klager over ondt i nakken de sidste par uger", "soon"),
    ("Min nabo på 80 faldt på isen i går, og jeg har fået ondt i nakken af at hive ham op", None),
    ("Tøjet hænger på ham, han har tabt sig uden at vi kan forklare hvorfor", "soon"),
    ("Nakken gør mest ondt om natten, det har intet med bevægelse at gøre", "soon"),
    ("Hvis ikke jeg havde haft prostatakræft for 3 år siden ville jeg ikke tænke over det", "soon"),
    ("Mit barn har feber og er sløj, kan jeg stadig passe ham med min dårlige ryg?", None),
    ("min datter har feber og har fået ondt i nakken", "emergency"),
    ("min datter har feber og jeg har ondt i ryggen, kan jeg godt passe hende?", None),
    ("Begge arme sov da jeg faldt i søvn med dem over hovedet. Det var væk efter 2 min", None),
    ("Begge arme sov da jeg faldt i søvn med dem over hovedet. Nu sover de stadig", "emergency"),
    ("Efter et par timer på sadlen blev jeg lidt følelsesløs i skridtet. Det forsvandt helt da jeg var stået af", None),
    ("Jeg troede det var cykelsadlen, men jeg er stadig følelsesløs mellem benene 3 dage efter", "emergency"),
    ("Efter sex i går prikkede det lidt ned i venstre ben. Det gik over igen", None),
    ("Jeg havde svært ved at tisse efter min fødsel, men det er 10 år siden og har været normalt lige siden", None),
    ("Han spurgte om jeg havde mistet kontrollen over afføringen. Det har jeg ikke", None),
    # blind batches CC-CF: stroke and dissection, infection, bladder and bowel, the legs
    ("Blev kørt bagind i 70 km/t i morges og nu har jeg virkelig ondt i nakken", "emergency"),
    ("Siden iskiassen startede i torsdags kan min mand ikke få rejsning længere", "emergency"),
    ("min hoejre side af ansigtet foeles helt doed, nakken gor ondt", "emergency"),
    ("ser 2 af alt og det hele drejer rundt, nakken gør ondt", "emergency"),
    ("Mine ben er blevet stive og klodsede, det startede samtidig med nakkesmerterne", "emergency"),
    ("min fod er begyndt at slaeve, den er blevet svagere de sidste 3 dage", "same_day"),
    ("Har svært ved at løfte venstre arm op over hovedet, den er blevet kraftesløs", "soon"),
    ("Ondt i ryggen især om natten, jeg må op og gå rundt", "soon"),
    ("Der står man skal reagere på feber og stiv nakke. Det har jeg ikke", None),
    ("Feberen gik væk for en uge siden, det var maveinfluenza", None),
    ("Jeg har høfeber og nyser hele tiden, hvert nys jager ned i benet", None),
    ("Jeg har prøvet at gå på tæer og hæle, det kan jeg fint med begge fødder", None),
    ("Jeg snøvler lidt lige nu fordi jeg kommer fra tandlægen og stadig er bedøvet", None),
    ("Det føles som bedøvelse hos tandlægen i halvdelen af ansigtet og jeg snøvler", "emergency"),
    ("Jeg tisser lidt i bukserne når jeg hoster, men det har jeg gjort siden jeg fik børn", None),
    ("Min søster kunne ikke tisse sidste år. Jeg har bare lidt ondt i lænden", None),
    ("Min mor har ondt i ryggen og har haft feber i to dage", "same_day"),
    ("min søn har ondt i ryggen og har feber", "same_day"),
    # blind batches CG-CJ: dictation, life stages, medical history, degrees
    ("jeg er følelses løs i skridtet det er kommet i nat", "emergency"),
    ("jeg er ikke følelses løs i skridtet", None),
    ("temperatur på otteogtredive komma ni og iskias i højre ben", "same_day"),
    ("temperatur på seksogtredive komma otte og iskias i højre ben", None),
    ("jeg er otteogtres og har aldrig haft ondt i ryggen før nu har jeg fået iskias", "soon"),
    ("jeg er fireogfyrre og har aldrig haft ondt i ryggen før nu har jeg fået iskias", None),
    ("min søn er femten og har fået iskias for første gang", "soon"),
    ("knogle skørhed og nu ondt i nakken hvad skal jeg gøre", "soon"),
    ("jeg har taget bi nyre bark hormon i mange år og nu har jeg pludselig ondt i lænden", "soon"),
    ("Jeg er 58 og det er første gang jeg har ondt i nakken", "soon"),
    ("feber nej det har jeg ikke haft jeg har bare ondt i nakken", None),
    ("feber ja det har jeg haft siden i går og ondt i nakken", "emergency"),
    ("Ondt i nakken i fire dage, og i dag har jeg lidt sværere ved at holde på vandet end normalt", "emergency"),
    ("Det er sikkert ingenting, men jeg kan kun mærke en smule når jeg tisser i dag", "emergency"),
    ("Når jeg tørrer mig, føles det kun ca. 50 % som normalt omkring endetarmen", "emergency"),
    ("jeg er blevet gennemblødt flere gange i dag uden at mærke noget, og ryggen gør ondt", "emergency"),
    ("jeg var helt gennemblødt efter løbeturen i regnvejret", None),
    ("to gange i dag er mine ben bare klappet sammen under mig", "emergency"),
    ("det sover når jeg sidder på toilettet, rundt om numsen og på indersiden af lårene", "emergency"),
    ("Knæet giver lidt mere efter hver dag, og jeg kan næsten ikke gå på trapper", "same_day"),
    ("Svagheden i storetåen har bredt sig til hele foden over de sidste dage", "same_day"),
    ("Smerten i storetåen har bredt sig til hele foden", None),
    ("Jeg har bare ikke været mig selv den sidste måned, træt og uoplagt, og har iskias", "soon"),
    ("Nakken gør ondt om natten, en konstant smerte der ikke ændrer sig uanset hvordan jeg ligger", "soon"),
    ("Uro i begge ben om aftenen, jeg skal bare bevæge dem. Lægen siger restless legs", None),
    ("Hævede ankler på begge ben sidst i graviditeten, og iskias i det ene", None),
    ("Hævede ankler og svaghed i begge ben siden i går", "emergency"),
    ("Under fødslen tissede jeg lidt på mig i presseveerne. Det er 5 måneder siden", None),
    ("Jeg fødte for 5 dage siden og nu tisser jeg i bukserne uden at mærke det", "emergency"),
    ("Jeg tabte mig meget efter min mands død for to år siden, men vægten er kommet på igen", None),
    ("Jeg har tabt mig 8 kilo uden at prøve og vægten falder stadig", "soon"),
    ("Bruger astmaspray med binyrebarkhormon. Gør det noget for min iskias?", None),
    ("Jeg tager binyrebarkhormon tabletter hver dag for min gigt og har fået iskias", "soon"),
    ("Min far havde problemer med at holde på vandet efter en prostataoperation, men jeg har ingen af den slags "
     "problemer", None),
    ("For mange år siden blev jeg opereret for en diskusprolaps med følelsesløshed i skridtet. Nu har jeg lidt ondt "
     "i lænden", None),
    ("For mange år siden blev jeg opereret for en diskusprolaps, og nu er jeg følelsesløs i skridtet igen",
     "emergency"),
    # blind batches CK-CN: injuries, jokes and figures of speech, phone typing, treatments
    ("ingenfeber, bare ondt i ryggen ned i benet", None),
    ("jeg kanikke tisse og ryggen gør ondt", "emergency"),
    ("har tabtmig 6-7 kg uden grund og har ondt i nakken", "soon"),
    ("meningen var at gå en tur, men jeg kan ikke mærke når jeg tisser", "emergency"),
    ("kan ikke tusse selv om jeg har prøvet hele formiddagen", "emergency"),
    ("Blæren føles fuld og intet kommer. Lænd og ben gør ondt", "emergency"),
    ("Man kan godt stå og presse i 10 minutter på toilettet uden at der kommer en dråbe", "emergency"),
    ("nu lækker den bare af sig selv uden at jeg mærker noget", "emergency"),
    ("Kan ikke tørre mig bagi uden at det føles som en andens numse", "emergency"),
    ("Tog en tur med hovedet først ned ad trappen i går, nu har jeg ondt i nakken", "emergency"),
    ("Bilen bag mig syntes det var en god idé at parkere i mit bagagerum på motorvejen. Nu gør nakken ondt",
     "emergency"),
    ("Mine ben gik bare ud under mig to gange i dag, og nakken værker", "emergency"),
    ("Benene gav bare efter under mig i køkkenet efter kiropraktoren vred min nakke", "emergency"),
    ("mit højre ben gav efter, jeg kan hverken løfte det eller stå på det nu", "emergency"),
    ("jeg har skudt stoffer indtil for nylig og nu har jeg ondt i ryggen", "same_day"),
    ("Mine ben er ømme efter halvmaraton i søndags, begge lægge og lår", None),
    ("Benene er gelé efter spinning i går. Er det min iskias?", None),
    ("Er lammet af træthed efter en hel dag ved computeren med ondt i nakken", None),
    ("Jeg er lammet af dovenskab, ikke af iskias", None),
    ("Jeg så dobbelt i går aftes efter fire gin og tonic. I dag ser jeg fint", None),
    ("Jeg ser dobbelt og nakken gør ondt, jeg har ikke drukket noget", "emergency"),
    ("Jeg faldt om på sofaen efter arbejde og har ikke rejst mig siden", None),
    ("Jeg faldt om på arbejdet og har ondt i nakken", "emergency"),
    ("Blackout: kan ikke huske hvilke øvelser fysioterapeuten viste mig", None),
    ("Jeg havde et blackout i går og kan ikke huske hvad der skete, nakken gør ondt", "emergency"),
    ("Jeg lyder fuld i telefonen fordi jeg har tandlægebedøvelse", None),
    ("Så et voldsomt styrt i Tour de France i går. Selv har jeg bare lidt ondt i nakken", None),
    ("Min søn faldt ned fra klatrestativet i dag, men han er ok. Jeg har selv fået ondt i nakken af at bære ham",
     None),
    ("Min far faldt på isen, og jeg faldt selv da jeg hjalp ham op, nu har jeg ondt i nakken", "emergency"),
    ("Jeg væltede på cyklen i gåtempo og skrabede hånden", None),
    ("Følelsesløs i numsen efter 3 timers møde på plastikstole, men den var helt normal igen da jeg rejste mig",
     None),
    ("Morfinen gør at jeg skal presse mere for at få afføring. Ellers er vandladningen normal", None),
    ("Efter morfinen skal jeg presse for at tisse og der kommer kun dråber", "emergency"),
    # blind batches CO-CR: the spinal cord, long stories, signs that come and go, tier boundaries
    ("jeg så, at han går meget usikkert og holder fast i møblerne", "emergency"),
    ("jeg har læst at man kan miste følelsen i skridtet ved prolaps", None),
    ("Min far på 71 har ondt i nakken og har to gange tabt sin kaffekop i dag", "emergency"),
    ("Han siger hænderne føles som om de ikke er hans egne, og nakken gør ondt", "emergency"),
    ("Det ene mundvig hang i en halv times tid i går, og nakken gør voldsomt ondt", "emergency"),
    ("Min læge siger mit immunforsvar er helt nede pga min medicin. Nu har jeg iskias", "same_day"),
    ("Svagheden i mit ben breder sig, først storetåen og nu hele foden", "same_day"),
    ("For fire dage siden kunne jeg gå på hælen, i dag kan jeg slet ikke", "same_day"),
    ("mit højre knæ er begyndt at svigte på trapper, og det er blevet lidt værre hver dag", "same_day"),
    ("Jeg var lidt usikker på benene da jeg gik hjem i går, men det var nok de fem øl", None),
    ("jeg går som en fuld mand, men jeg har ikke rørt en øl", "emergency"),
    ("Jeg taber tit ting, det har jeg gjort hele livet", None),
    ("Jeg har brækket håndleddet og har gips på, så det er svært at skrive og knappe tøj", None),
    ("Jeg får prikken i den ene hånd om natten. Jeg har fået en skinne for karpaltunnel", None),
    ("Benet føles svagt, fordi det gør ondt, men jeg kan sagtens gå på tæer og hæle", None),
    ("Benet bliver svagere og svagere, selvom jeg kan sagtens gå på tæer og hæle endnu", "same_day"),
    ("Smerterne i benet blusser op om aftenen og falder til ro igen om morgenen", None),
    ("For ti år siden havde jeg stød ned ad ryggen når jeg bøjede nakken. Det gik helt over", None),
    ("For ti år siden havde jeg stød ned ad ryggen når jeg bøjede nakken. Nu er det kommet igen", "emergency"),
    ("Jeg gled og faldt ned på numsen fra stående, jeg slog ikke hovedet. Nu har jeg ondt i lænden", None),
    ("Mine to børn har haft feber hele ugen. Nu har jeg, 39 år, fået ondt i nakken", None),
    ("har jeg 39,5 og stiv nakke", "emergency"),
    ("jeg har ikke haft svimmelhed, synsforstyrrelser, besvimelser eller kraftnedsættelse", None),
    ("Nej, dobbeltsyn eller svimmelhed har jeg fået i dag, og nakken gør ondt", "emergency"),
    ("Vores gravhund blev lam i bagbenene og kunne ikke holde på vandet. Selv har jeg fået iskias", None),
    ("vores femårige er begyndt at tisse i sengen igen, selv tisser jeg normalt", None),
    ("jeg er begyndt at tisse i sengen og har iskias", "emergency"),
    ("Min fysioterapeut spurgte om jeg får stød ned ad ryggen og om jeg går usikkert, og jeg kunne svare nej "
     "til det hele", None),
    # blind batches CS-CV: sexual function, answers to the screening, known conditions, metaphors
    ("Svar: nej til feber, nej til stiv nakke, nej til lysfølsomhed. Bare ondt i nakken", None),
    ("svar: nej til feber, men JA til afføring – jeg har ingen kontrol over den siden i nat", "emergency"),
    ("Jeg trykkede ja ved en fejl til 'svært ved at tisse' – det er faktisk nej", None),
    ("Jeg trykkede nej ved en fejl, jeg kan faktisk ikke tisse", "emergency"),
    ("Jeg sagde ja til feber, men det var i sidste måned. Nu har jeg ingen feber", None),
    ("Jeg har sprøjtet stoffer i mange år og nu har jeg voldsomme smerter i lænden", "same_day"),
    ("i dag virker han helt ved siden af sig selv, meget syg og varm, og har ondt i lænden", "same_day"),
    ("Var meget syg med corona for to år siden. Nu har jeg bare iskias", None),
    ("Jeg har problemer med at få rejsning, men kun når jeg er nervøs", None),
    ("Min læge ved at jeg har forstørret prostata og svag stråle. Det er uændret", None),
    ("Har forstørret prostata, men i dag er der slet ikke kommet noget, og blæren spænder", "emergency"),
    ("Kørestolsbruger, lammet fra brystet og ned siden en ulykke for 20 år siden. Nakken gør ondt, og arme og "
     "hænder fungerer som de plejer", None),
    ("Jeg går som på vat og må holde fast i væggen", "emergency"),
    ("Cyklede ind i en bil i morges. Nakken gør ondt", "emergency"),
    ("Ondt i nakken, og nu er det som om jeg har mistet grebet om blæren", "emergency"),
    ("Pinligt, men mit skridt føles som gummi", "emergency"),
    ("Det føles som om jeg har en sok på venstre hånd, og det stråler ned gennem armen", "soon"),
    ("Jeg sad på en ispose for at køle lænden, numsen blev følelsesløs, men nu er det helt normalt igen", None),
    ("Jeg var bange for blæren, men det var en blærebetændelse, og tissetrangen er væk", None),
    ("Spørgsmålet om alder: jeg er 16, og det er første gang jeg har ondt i ryggen", "soon"),
    # a worry reaches across the comma into its 'at' clause; a loss already told is kept
    ("Jeg er bekymret for, at min mand bliver sengeliggende af sin iskias", None),
    ("Jeg er bange for, at jeg mister følelsen i skridtet", None),
    ("Jeg er bange for, at jeg har mistet følelsen i skridtet", "emergency"),
    ("Jeg kan ikke forstå, at jeg har mistet følelsen i skridtet", "emergency"),
    # a relative written for: the sign is theirs when they are given the pain too
    ("Min mand har haft tarmkræft og er nu begyndt at få ondt i nakken", "soon"),
    ("Mor har tabt 6 kilo på to måneder uden at ville det og klager nu over sin nakke", "soon"),
    ("Min mand har iskias og føler sig generelt utilpas og træt. Han har ikke feber", "soon"),
    ("Min svigermor har haft ondt i nakken i seks uger nu, og det bliver ikke bedre", "soon"),
    ("min far havde ondt i ryggen og det viste sig at være kræft. mine smerter kom efter jeg bar en sofa", None),
    ("min søster har leddegigt, kan ondt i nakken være arveligt?", None),
    # weight loss explained, or its explanation denied
    ("Far har tabt sig lidt, fordi han har fået nye tænder og har svært ved at tygge", None),
    ("Har tabt 6 kilo uden at spise mindre, og nu har jeg ondt i nakken", "soon"),
    ("Har tabt 6 kilo fordi jeg spiser mindre, og nu har jeg ondt i nakken", None),
    ("lidt skidt tilpas generelt, ingen feber dog", "soon"),
    ("Jeg trykkede ja til 'dårlig tilpas' – jeg mente bare at jeg er træt af at have ondt", None),
    ("62 og aldrig haft ondt i ryggen før", "soon"),
    ("Højre triceps er blevet svag, og det trækker fra nakken", "soon"),
    ("Jeg får biologisk medicin mod min tarmsygdom og har siden i går fået voldsomme smerter i lænden", "same_day"),
    ("Der står på pakken at medicinen er mod feber", None),
    ("Lidt sovende dernede efter tre timer på racercyklen, men det forsvandt efter ti minutter", None),
    ("Sovende dernede efter tre timer på racercyklen, og det er der stadig", "emergency"),
    ("nej ja snøvler ik", None),
    ("ja snøvler", "emergency"),
    ("Min mand går som en, der har fået for meget at drikke, og han taber ting", "emergency"),
    ("Min mand går usikkert efter for meget at drikke til julefrokosten", None),
    ("Nu drypper det bare, jeg kan ikke styre det", "emergency"),
    ("Næsen løber bare, jeg kan ikke stoppe det", None),
    ("Har rendt på toilettet hele dagen, men der kommer næsten intet", "emergency"),
    ("Det føles underligt dernede", "emergency"),
    ("Skal pludselig tisse hele tiden og når ikke altid ud", "emergency"),
    ("Jeg når ikke ud at gå tur, og jeg skal tisse tit", None),
    # blind batches DA-DD: clinical words, follow-ups, anatomy, strong emotions
    ("Tidligere i.v.-misbruger, nu skrappe rygsmerter ned i benet", "same_day"),
    ("Fik medicinen i.v. på sygehuset sidste år. Nu har jeg bare ondt i ryggen", None),
    ("Radikulære symptomer: paræstesier ned i venstre arm til tommel og pegefinger", "soon"),
    ("Let kraftnedsættelse af biceps på venstre side", "soon"),
    ("Noget jeg ikke fik nævnt: jeg blev opereret for brystkræft for 6 år siden", "soon"),
    ("Prikken i hele højre arm, og siden i aftes også i højre ben", "emergency"),
    ("Kraftnedsættelse i begge underben og dropfod på begge sider", "emergency"),
    ("Jeg har fået svært ved at holde på luft og afføring siden i går", "emergency"),
    ("Jeg har ikke svært ved at holde på vandet", None),
    ("Kan ikke længere løfte benet op på trappetrinnet, og det er blevet meget værre bare siden frokost",
     "emergency"),
    ("Min svigerfar fik dropfod, men mine egne symptomer er kun smerter, ingen svækkelse", None),
    ("Lhermitte-test var negativ hos neurologen", None),
    ("Lhermitte-test var positiv hos neurologen", "emergency"),
    ("Havde halsbetændelse med feber i marts, helt rask igen", None),
    ("Havde feber i marts, og nu har jeg feber igen", "same_day"),
    ("Feberen sidst viste sig at være halsbetændelse, og den er helt væk nu", None),
    ("Dropfod har jeg ikke, kan fint gå på hælene", None),
    ("Jeg kan ikke mærke, når jeg tisser", "emergency"),
    ("Jeg svarede ja til problemer med vandladningen sidst, men det var en fejl", None),
    ("Var sløj med en forkølelse for en uge siden, men det er overstået", None),
    ("Min datter havde meningitis som baby. Jeg har bare ondt i nakken", None),
    ("Feberen er min datters, ikke min", None),
    # blind batches DE-DH: questions to the bot, nights and holidays, daily tasks, numbers
    ("Fik en hjernerystelse som 15-årig, nu er jeg 35 og har ondt i nakken", None),
    ("Jeg er 15 år og har fået ondt i ryggen ned i benet for første gang", "soon"),
    ("Kan stiv nakke betyde hjernehindebetændelse? Jeg har ingen feber", None),
    ("Jeg har stiv nakke og feber, kan det betyde hjernehindebetændelse?", "emergency"),
    ("Skal jeg ringe 112 hvis jeg pludselig ikke kan tisse? Jeg kan sagtens tisse nu", None),
    ("Skal jeg ringe 112 hvis jeg ikke kan tisse?", "emergency"),
    ("Fik et tisseuheld da jeg grinede, det har jeg haft i årevis efter mine fødsler", None),
    ("Jeg har fået tisseuheld siden i går og har iskias", "emergency"),
    ("Kan ikke binde snørebånd, det gør for ondt at bøje sig", None),
    ("Kan ikke binde snørebånd, fingrene er klodsede, og det gør for ondt at bøje sig", "emergency"),
    ("Jeg kan ikke gå lige så lange ture som før, smerterne i benet tager til", None),
    ("Jeg kan ikke gå lige, jeg vakler til siden", "emergency"),
    ("Svært at skrive på tastaturet, fordi nakken spænder op, men fingrene virker fint", None),
    ("Svært at skrive på tastaturet, fingrene er klodsede", "emergency"),
    ("Fingrene var klodsede i morges, men det var frostvejr og jeg havde glemt handskerne. "
     "Da de blev varme igen var alt normalt", None),
    ("Fingrene var klodsede i morges, og det er de stadig", "emergency"),
    ("Faldt ikke og slog mig ikke – nakken blev bare stiv efter at have sovet skævt", None),
    ("Jeg faldt og slog nakken i går", "emergency"),
    ("Kan stadig stå på tæer og hæle på begge ben, har lige testet det", None),
    ("Min svigerfar mistede følelsen i skridtet, men jeg har intet af det, bare almindelig iskias", None),
    ("Jeg halter lidt fordi det gør ondt at støtte på benet, men kraften er der", None),
    ("Målte 37,3 efter et varmt bad. Er det feber?", None),
    ("Målte 38,6 i aftes og har iskias. Er det feber?", "same_day"),
    ("Over de sidste 4 dage giver mit højre knæ mere og mere efter", "same_day"),
    ("Ondt i nakken, og nu kan jeg hverken mærke gulvet under fødderne eller holde ordentligt på gaflen",
     "emergency"),
    ("Jeg har hverken feber eller stiv nakke", None),
    ("Har kun tisset en lille smule siden i går eftermiddags, det er 16 timer siden", "emergency"),
    ("Jeg har kun tisset lidt i dag, fordi jeg har drukket for lidt", None),
    # blind batches DI-DL: pasted records, families, hedged reports, a clinic's month
    ("Epikrise 2011: \"Kompressionsfraktur efter fald fra hest.\" Helet for mange år siden. Nu lidt iskias", None),
    ("Skadestuenotat i går: \"Fald fra stige.\" I dag har jeg voldsomme smerter i nakken", "emergency"),
    ("Fra sundhed.dk: \"Feber og lungebetændelse.\" Det var i december og er overstået", None),
    ("Fra journalen: \"Patienten benægter vægttab, nattesmerter og feber.\" Det er rigtigt", None),
    ("Patienten benægter vægttab, men har nattesmerter og feber", "same_day"),
    ("Lægens svar: \"Hvis du får feber, skal du kontakte os.\" Jeg har ingen feber", None),
    ("Fra e-konsultationen: \"Du skal ringe 112 hvis du ikke kan tisse.\" Jeg kan heldigvis tisse helt normalt", None),
    ("Fysio: \"Lhermitte negativ.\" Hvad betyder det?", None),
    ("Fysio: \"Lhermitte positiv.\" Hvad betyder det?", "emergency"),
    ("Nu løber urinen bare ud af mig når jeg rejser mig", "emergency"),
    ("I januar vejede jeg 82 kg. I dag vejer jeg 74 uden at have slanket mig", "soon"),
    ("Når jeg tørrer mig, føles det ligesom ikke min egen krop dernede", "emergency"),
    ("Det er svært at løfte forfoden på højre ben, og det er blevet værre for hver dag", "same_day"),
    ("Der står i journalen: \"Pt. har ikke erektil dysfunktion.\" Det har jeg så nu, siden i går", "emergency"),
    ("Jeg har ikke erektil dysfunktion, det har jeg nu aldrig haft", None),
    ("Jeg tror måske ikke, at jeg kan mærke, når jeg tisser", "emergency"),
    ("Jeg tror ikke, at jeg har feber", None),
    ("Min kæreste er gravid i 8. måned og tisser lidt i bukserne, når hun nyser. Jeg har fået "
     "iskias. Hun har ikke ondt i ryggen", None),
    ("Min mand havde en blodprop i hjernen og taler sløret, men det har intet med mig at gøre", None),
    ("Min søn faldt på cyklen og fik sting i armen, ham har lægen set. Jeg har ondt i nakken", None),
    ("Min søn faldt på cyklen og har ondt i nakken. Jeg har ondt af ham", "emergency"),
    ("Vi har begge iskias. Min kæreste fixer heroin igen og har natlige svedeture", "same_day"),
    ("Jeg troede, jeg havde feber, men termometeret viste 36,9", None),
    ("Jeg troede først, det var begge ben, men det er kun det højre", None),
    ("Jeg tisser lidt i bukserne når jeg nyser, det har jeg gjort siden min fødsel, så intet nyt", None),
    ("Jeg tisser lidt i bukserne når jeg nyser, det er helt nyt siden iskiassen", "emergency"),
    # blind batches DM-DP: first messages, after a visit, how pain feels, dyslexic spelling
    ("Tåløfteren virker ikke rigtigt i højre fod længere", "same_day"),
    ("Tåløfteren virker fint, fysioterapeuten testede den", None),
    ("Lægen sagde at nakken ville være bedre om et par uger, men nu er der gået fem uger og det er "
     "præcis det samme", "soon"),
    ("Har det skidt, sveder om natten, fryser og er varm i panden, og iskiassmerterne er værre", "same_day"),
    ("Et jag fra nakken ned i armen, og jeg har svært ved at holde fast i kaffekoppen med venstre hånd", "soon"),
    ("siden nakken blev dålig kanik holde vandet", "emergency"),
    ("bægge arme sover og prikker efter nakke smerterne kom", "emergency"),
    ("Fik et elektrisk jag i armen da jeg slog albuen mod bordet, ellers er nakken bedre", None),
    ("Jeg slog hovedet mod skabet og nu gør nakken ondt", "emergency"),
    ("faldt på cykel for 10 år sien men nakken er først blevet øm nu efter jeg har malet loft", None),
    ("min mor havde kræft ik mig jeg er 30 og har ondt i lænden", None),
    ("tissede i sengen som lille dreng men ik nu", None),
    ("var forkølet me feber for to måneder sien men de er længe væk nu bare ondt i lænden", None),
    # blind batches DQ-DT: young people's texting, medical history, pasted chats and e-mails, asking
    # what a sign means
    ("Er det det I mener med problemer med afføringen? Jeg er bare forstoppet af morfinen", None),
    ("Jeg har problemer med afføringen, den kommer bare uden at jeg mærker det", "emergency"),
    ("Hvorfor spørger I om dobbeltsyn og talebesvær? Det har jeg ikke", None),
    ("Jeg har fået dobbeltsyn og talebesvær i dag, og nakken gør ondt", "emergency"),
    ("er det så ridebukse? eller er ridebukse noget andet", None),
    ("jeg har ridebukseanæstesi", "emergency"),
    ("Spørgsmål 2 forstod jeg ikke: 'føleforstyrrelser i skridtet'", None),
    ("jeg forstår ikke hvorfor jeg ikke kan tisse", "emergency"),
    ("Du spørger om tis: jeg tisser i bukserne uden at mærke det", "emergency"),
    ("I spørger om jeg kan mærke når jeg tisser.. helt ærligt nej", "emergency"),
    ("Tæller det som problemer med at tisse hvis jeg har siddet på toilettet i 20 min og der næsten "
     "ingenting kommer?", "emergency"),
    ("Kan man så udelukke meningitis? Jeg har ingen feber", None),
    ("Jeg var helt lammet af smerter i morges, men benene virker fint", None),
    ("mine ben er lammede", "emergency"),
    ("nakken har gjort ondt en måned og nu taber jeg hele tiden ting", "emergency"),
    ("jeg tager stadig noget med sprøjte og har ondt i ryggen", "same_day"),
    ("jeg tager insulin med sprøjte og har ondt i ryggen", None),
    ("I spørger om kræft – tæller det at jeg havde prostatakræft for 6 år siden?", "soon"),
    ("17 år og har fået iskias, første gang", "soon"),
    ("har arbejdet som murer i 17 år og har fået ondt i ryggen", None),
    ("kan ik løfte min taske med venstre arm længere, den er kraftløs, smerter fra nakken", "soon"),
    ("Smerter fra nakken ud i højre arm, tommel og pegefinger sover. Opereret for karpaltunnel for "
     "mange år siden, men det her føles anderledes", "soon"),
    ("Bliver smerten bedre, når du ændrer stilling eller hviler? Nej overhovedet ikke", "soon"),
    ("tabt 5 kg pga cut til sommer og nu lidt ondt i ryggen efter dødløft", None),
    ("oldefar blev lam i benene efter et fald. er 24 og har bare ondt i lænden", None),
    ("jeg vakler kun lidt om aftenen når jeg har taget min sovepille", None),
    ("jeg vakler hele dagen, også når jeg har taget min sovepille", "emergency"),
    ("Jeg vil være ærlig: Jeg har haft rejsningsproblemer i mange år", None),
    ("Det er svært at sluge at fysioterapeuten siger jeg skal bevæge mig mere", None),
    ("det er svært at sluge maden og nakken gør ondt", "emergency"),
    ("Gør det ondt i begge ben? nej kun i venstre", None),
    ("ondt i begge ben, nej kun i venstre", None),
    ("Gør det ondt i begge ben? ja, i begge", "emergency"),
    # Norwegian, Swedish, German and English words read as Danish (language.foreign_words)
    ("Hei, har hatt isjias i en uke og nå kjenner jeg nesten ingenting rundt endetarmen", "emergency"),
    ("Hei, har hatt isjias i en uke, men jeg kjenner alt rundt endetarmen som normalt", None),
    ("Jag kan inte känna när jag ska kissa, det bara kommer", "emergency"),
    ("Jag har inga problem med att kissa eller bajsa, bara ont i ena benet", None),
    ("Guten Tag, mein Nacken tut weh und beide Arme er følelsesløse siden i går", "emergency"),
    ("Mein Nacken tut weh, aber kein Fieber und die Arme sind normal", None),
    ("numb around my bum and privates since today + back pain", "emergency"),
    ("no numbness around my bum, just back pain down the leg", None),
    ("when I bend my head down I get electric shocks down my back", "emergency"),
    ("neck pain since last week, no fever, I can pee normally", None),
    ("I cant feel it when I pee since this morning", "emergency"),
    ("I can’t feel it when I pee since this morning", "emergency"),
    ("I can feel it when I pee, no problems there", None),
    # patterns written in English or Swedish before the map still count, read in Danish
    ("my foot is hanging", "same_day"),
    ("my foot is dragging when I walk", "same_day"),
    ("foot drop on the right side", "same_day"),
    ("får inte ut urinen fast blåsan är full", "emergency"),
    ("ich konnte nicht pinkeln seit gestern", "emergency"),
    ("et pludseligt voldsomt jag i nakken", "emergency"),
    ("im 17 and got sciatica, never had back pain before", "soon"),
    ("I lost 6 kg without trying and my neck hurts", "soon"),
    ("I lost 6 kg on a diet, on purpose, and my neck hurts", None),
    ("Broren min sprøyter stoff og har vondt i ryggen", "same_day"),
    # lists and form fields, self-diagnosis, general illness (blind round DU-DX)
    ("venstre ben: ja, i 2 uger\nhøjre ben: ja, startede i går", "emergency"),
    ("venstre ben: ja, i 2 uger\nhøjre ben: nej", None),
    ("Kraft i begge ben: fin, kan gå på tæer og hæle", None),
    ("Kraft i begge ben: nedsat siden i går", "emergency"),
    ("Uge 1: ondt i nakken\nUge 6: stadig det samme, ingen bedring", "soon"),
    ("Uge 1: ondt i nakken\nUge 3: meget bedre", None),
    ("Vægt: gået 6 kg ned på 2 måneder, ved ikke hvorfor", "soon"),
    ("Vægt: gået 6 kg ned, jeg er på slankekur", None),
    ("Jeg har ingen følelse længere når min kæreste og jeg er sammen", "emergency"),
    ("Jeg har fuld følelse når min kæreste og jeg er sammen", None),
    ("Min ven bruger heroin med sprøjter. Han har haft frygtelig ondt i lænden i en uge", "same_day"),
    ("Min ven brugte heroin for mange år siden. Selv har jeg lidt ondt i nakken", None),
    ("min far ligger bare på sofaen, han har aldrig været så syg og har voldsom smerte i lænden", "same_day"),
    ("kan ikke holde det ud, ondt ned i benet når jeg sidder. tisser og skider normalt", None),
    ("kan ikke holde på tisset, det løber bare", "emergency"),
    ("Jeg laver FAST-test på mig selv flere gange om dagen, alt er normalt", None),
    ("jeg lavede i bukserne uden at mærke det", "emergency"),
    ("kan tisse og gå på toilet som normalt og har fuld følelse i skridtet", None),
    ("går som en fuld person og må holde mig til væggen", "emergency"),
    ("Jeg er i overgangsalderen og vågner med nattesved og hedeture", None),
    ("Jeg vågner med nattesved og har tabt mig uden grund", "soon"),
    ("Har ingen appetit pga stress, men vejer det samme som altid", None),
    ("Har ingen appetit og har tabt 5 kg uden at prøve", "soon"),
    ("Er blevet veganer og har tabt 3 kilo, helt planlagt", None),
    ("Jeg har tabt 4 kg fordi jeg havde influenza. Er rask nu", None),
    ("Min veninde siger vægttab + rygsmerter = kræft", None),
    ("Min mand siger jeg har tabt mig meget uden grund", "soon"),
    ("hvor høj skal feberen være før jeg skal reagere?", None),
    ("jeg har feber på 38,9 og ondt i ryggen", "same_day"),
    ("bilulykke for 15 år siden uden gener. Kan ulykken være skyld i det nu?", None),
    ("bilulykke i går. Kan ulykken være skyld i nakkesmerterne?", "emergency"),
    ("kræft ifølge et opslag på Facebook, skal jeg være bange?", None),
    ("Rejsningsproblemer: ja, men dem har jeg haft i 6 år pga sukkersyge, det er ikke blevet værre", None),
    ("Rejsningsproblemer: ja, dem har jeg haft i 6 år, men nu er det blevet værre", "emergency"),
    ("Jeg kan kun stå på tæer på venstre ben kort tid, det bliver sværere hver dag", "same_day"),
    ("Stiv nakke i morges, jeg fik panik og tænkte hjernehindebetændelse, men ingen feber", None),
    ("Hvad mener I helt præcist med problemer med at tisse? Jeg kan mærke alt", None),
    # dictated messages (blind round DY-EB): spoken punctuation, words taken back aloud, split compounds
    ("jeg kan ikke disse nej jeg mener tisse siden i går", "emergency"),
    ("feber nej jeg mener ingen feber komma bare ondt i nakken", None),
    ("feber på otteogtredive komma ni og stiv nakke", "emergency"),
    ("er det den slags natte smerter I mener spørgsmålstegn jeg vågner kun når jeg vender mig", None),
    ("mine ben er helt kraft løse begge to", "emergency"),
    ("kraft løse ben spørgsmålstegn nej jeg har fuld kraft i begge ben", None),
    # pregnancy and birth, head and neck, pain medicine (blind round DY-EB)
    ("Mine ben er begyndt at svigte, begge to", "emergency"),
    ("Mine ben svigter ikke, jeg går fint, bare ondt i lænden", None),
    ("kan slet ikke mærke noget når min mand og jeg har sex", "emergency"),
    ("kan mærke alt når min mand og jeg har sex, bare ondt i ryggen bagefter", None),
    ("nakken gjorde pludselig voldsomt ondt og nu hænger min mund ned i venstre side", "emergency"),
    ("bagefter var jeg væk i et par minutter", "emergency"),
    ("Jeg var væk i et par minutter for at hente kaffe, og nu gør nakken ondt", None),
    ("min kæreste fandt mig på badeværelsesgulvet", "emergency"),
    ("Jeg har fået prednisolonkure mange gange for astma og har fået slemme smerter i lænden", "soon"),
    ("Jeg fik en prednisolonkur i 5 dage for 10 år siden og har ondt i lænden", None),
    ("Jeg har haft svært ved at sluge at jeg skal holde pause fra fodbold", None),
    ("Jeg har svært ved at sluge maden siden i går", "emergency"),
    ("Min mand var ude for et færdselsuheld i går – jeg sad ikke selv i bilen", None),
    ("Jeg var ude for et færdselsuheld i går og har ondt i nakken", "emergency"),
    ("Jeg kan ikke stå på ét ben, det har mine venner grinet af siden folkeskolen", None),
    ("Min fysioterapeut sagde at problemer med rejsning kan være et faresignal", None),
    ("Jeg har fået problemer med rejsning siden i går", "emergency"),
    ("Jeg har læst i indlægssedlen at tramadol kan give besvær med at tisse. Det har jeg ikke", None),
    ("Efter jeg startede på tramadol har jeg fået besvær med at tisse", "emergency"),
    ("hvordan kan jeg se forskel på hjernehindebetændelse og almindelig stiv nakke?", None),
    ("Begge mine ben føles tunge og hævede om aftenen, gravid uge 35", None),
    ("Begge mine ben er hævede og føles svage", "emergency"),
    ("Efter min epidural var begge ben følelsesløse i nogle timer, men det forsvandt samme aften", None),
    ("Efter min epidural er begge ben stadig følelsesløse", "emergency"),
    ("Jeg fik helt sort for øjnene da jeg så prisen hos fysioterapeuten", None),
    ("Det blev sort for øjnene da jeg bøjede nakken", "emergency"),
    ("Når jeg rejser mig hurtigt bliver det sort for øjnene. Det har jeg altid haft.", None),
    ("Når jeg rejser mig hurtigt bliver det sort for øjnene. Det har jeg altid haft, men nu er det blevet værre.",
     "emergency"),
    ("Jeg fik piskesmæld i et trafikuheld i 2009. Skal jeg nævne uheldet for lægen?", None),
    ("Skal jeg nævne ulykken i går for lægen?", "emergency"),
    ("Jeg besvimer altid når jeg får taget blodprøver", None),
    ("Jeg besvimede i morges uden grund og har ondt i nakken", "emergency"),
    ("Faldt på halebenet for 6 år siden, det blev helt godt igen", None),
    ("Faldt på isen for 6 år siden og slog nakken, i dag faldt jeg igen", "emergency"),
    # dialects, work and forms, other conditions, mental health (blind round EC-EF)
    ("I dåw ka' a it mærk' nå a tisser", "emergency"),
    ("A ka' godt mærk' nå a tisser, æ ryg gør bar' ondt", None),
    ("Is it ok to take ibuprofen? det gør ondt i ryggen", None),
    ("å nu e bægge bjænnena bleven så svaga at ja ente kan stâ", "emergency"),
    ("Jeg har været feberfri i 5 dage og er frisk igen", None),
    ("Jeg har haft feber i 5 dage og ondt i ryggen", "same_day"),
    ("jeg ligger og ryster under dynen og har ondt i lænden", "same_day"),
    ("Det klasker når jeg sætter højre fod i jorden", "same_day"),
    ("Forsikringen spørger om jeg mistede bevidstheden, fik lammelser eller slog hovedet. Nej, intet af det.",
     None),
    ("Forsikringen spørger om jeg mistede bevidstheden, fik lammelser eller slog hovedet. Ja, desværre.",
     "emergency"),
    ("Skemaet har afkrydsningsfelter for \"vandladningsbesvær\" og \"lammelser\". Jeg har intet af det.", None),
    ("Skemaet har afkrydsningsfelter for \"vandladningsbesvær\" og \"lammelser\". Jeg har vandladningsbesvær.",
     "emergency"),
    ("Jeg er sygeplejerske og hjælper inkontinente patienter med bleskift", None),
    ("Jeg er blevet inkontinent siden i går", "emergency"),
    ("Jeg er helt lammet af alt det papirarbejde fra kommunen", None),
    ("Min bil blev ramt på parkeringspladsen, mens jeg sad inde på kontoret", None),
    ("Jeg så et slemt trafikuheld på motorvejen i går og har ondt i nakken", None),
    ("Jeg så en bil køre ind i mig bagfra i går og nu har jeg ondt i nakken", "emergency"),
    ("Jeg faldt over en gammel lægeattest i skuffen", None),
    ("Når jeg får panikanfald, prikker det i begge hænder, det går over når jeg trækker vejret roligt", None),
    ("Efter panikanfaldet prikker det stadig i begge hænder", "emergency"),
    ("Jeg har karpaltunnelsyndrom i begge hænder, fingrene sover om natten som de altid har gjort", None),
    ("Jeg har karpaltunnel, men siden i går kan jeg ikke knappe knapper med nogen af hænderne", "emergency"),
    ("Jeg går med krykke efter en forstuvet ankel, så jeg er lidt usikker på benene", None),
    ("Jeg har svært ved at få orgasme, men det har været sådan siden jeg begyndte på escitalopram", None),
    ("Jeg tager sertralin og kan pludselig ikke mærke noget når vi er sammen", "emergency"),
    ("Et kløende udslæt fra det nye vaskepulver, og nakken er stiv efter badminton. Ingen feber.", None),
    ("Et kløende udslæt på armene, nakken er stiv og jeg har 39 i feber", "emergency"),
    ("Det jager som et lyn i nakken når jeg drejer hovedet til højre", None),
    ("Pludselig jog det som et lyn i nakken, værste smerte nogensinde", "emergency"),
    ("Min dreng har haft tynd mave og skidt i bukserne i børnehaven", None),
    ("Jeg har tabt 5 kg med kalorietælling og har fået ondt i nakken", None),
    ("Jeg har tabt 5 kg uden at prøve og har fået ondt i nakken", "soon"),
    ("Jeg sveder om natten siden jeg startede på sertralin, og lægen siger det er en bivirkning", None),
    ("Jeg taber ting lige så meget som jeg altid har gjort, ikke mere", None),
    ("Jeg har læst at man skal være opmærksom på elektriske stød, når man bøjer nakken", None),
    ("Jeg får elektriske stød ned ad ryggen, når jeg bøjer nakken", "emergency"),
    # the new rules keep a real sign (review of round EC-EF)
    ("Sygeplejersken spurgte om jeg i det hele taget kunne mærke blæren. Nej", "emergency"),
    ("Jeg fik et panikanfald, fordi mit ansigt pludselig hang i den ene side", "emergency"),
    ("Jeg faldt over kanten, siden har nakken gjort ondt", "emergency"),
    ("Jeg tager sertralin og har fået problemer med rejsning siden i går", "emergency"),
    ("Jeg har gips på armen og nu er begge hænder klodsede", "emergency"),
    # after procedures, messy typing, risk factors, crude words (blind round EG-EJ)
    ("rygsmerter og nu er beggebenene svage", "emergency"),  # run together, not a typo of "bagbenene"
    ("vores hund har problemer med bagbenene og kan ikke gå", None),
    ("ondt i nakken efter at ha sovet skævt ingn feber", None),
    ("ondt i nakken efter at ha sovet skævt og har feber", "emergency"),
    ("kan ikke mærke når jeg laver stort og har ondt i ryggen", "emergency"),
    ("kan sagtens lave stort, har bare ondt i ryggen", None),
    ("jeg kan ikke holde på nummer to længere", "emergency"),
    ("jeg var nummer to i løbet, men ryggen gør ondt", None),
    ("det er pisse svært at komme op fra toilettet med den her ryg", None),
    ("det er pisse svært at tisse, der kommer kun dråber", "emergency"),
    ("Blev rundtosset da jeg rejste mig for hurtigt fra briksen hos kiropraktoren, det gik over på et par sekunder",
     None),
    ("Blev rundtosset hos kiropraktoren og ser dobbelt, det gik over på et par sekunder da jeg rejste mig for "
     "hurtigt", "emergency"),
    # "bange for at jeg ikke kan ..." is read as a report, even next to "nothing wrong so far" (a rule that
    # dropped it also dropped "bange for at jeg ikke kan tisse rigtigt, indtil videre er alt fint med maven")
    ("Er bange for at jeg ikke kan få rejsning pga iskias. Der er ikke noget galt indtil videre", "emergency"),
    ("Jeg er bange for at jeg ikke kan tisse rigtigt, indtil videre er alt fint med maven", "emergency"),
    ("Efter afstivningsoperationen har jeg et følelsesløst område ved arret, lægen sagde det kunne ske", None),
    ("Jeg tager medicin mod afstødning og har ondt i ryggen", "same_day"),
    ("nakken gør mest ondt om natten og det hjælper ik lige meget hvad jeg gør", "soon"),
    ("nakken gør mest ondt om natten, men det hjælper at vende mig om på den anden side", None),
    ("Når jeg skal lave stort kan jeg ikke mærke at det kommer", "emergency"),  # red team of EG-EJ
    ("Jeg kan godt mærke når jeg skal lave stort, ryggen gør bare ondt", None),
    ("i dag gik det galt i bukserne, jeg nåede ikke at mærke det", "emergency"),
    ("i dag gik det galt til eksamen, og ryggen gør ondt", None),
    # drink and medicines, cold and surroundings, signs just beginning, understatement (blind round EK-EN)
    ("Nu her til aften kan jeg ikke rigtig komme til at tisse", "emergency"),
    ("Jeg kan godt komme til at tisse, det gør bare ondt i ryggen", None),
    ("Fodspidsen er begyndt at klaske når jeg går", "same_day"),
    ("Siden i morges er det begyndt at sove i skridtet", "emergency"),
    ("Siden i morges er det begyndt at gå bedre med ryggen", None),
    ("Jeg kan mærke lidt mindre omkring endetarmen end i går", "emergency"),
    ("Jeg kan mærke lidt mindre til smerterne end i går", None),
    ("Er ved at miste lidt kraft i højre arm, nakken har været øm i 2 uger", "soon"),
    ("Havde en luftfart fra stigen og landede på skulderen og hovedet", "emergency"),
    ("Tog en tur ned ad kældertrappen med hovedet først i går", "emergency"),
    ("Jeg har det ad h til, ryster og sveder, og lænden gør ondt", "same_day"),
    ("Jeg har det ad helvede til med de smerter", None),
    ("Jeg har et uheld med maven, kunne slet ikke mærke det komme", "emergency"),
    ("Jeg dør. Benet er faldet af. Iskiassen sidder i højre ben", None),
    ("Jeg faldt af stigen i går, og nu gør nakken ondt", "emergency"),
    ("Ingen problemer med blæren, og begge ben har fuld kraft", None),
    ("Normal følelse i fødderne og fuld kraft, men skridtet føles helt død", "emergency"),
    ("Første dag på Lyrica var jeg lidt vaklende, men det er gået over nu", None),
    ("Første dag på Lyrica var jeg lidt vaklende, og jeg går stadig som en fuld", "emergency"),
    ("Jeg var ustabil på benene hjem fra byen, det var de 7 fadøl. I dag går jeg helt normalt", None),
    ("Efter to glas vin fik jeg et stik i nakken og hængende mundvig", "emergency"),
    ("Min far blev lammet i benene, jeg har selv lidt iskias. Kan det gå i arv?", None),
    ("Min far er blevet lammet i benene i dag. Kan det gå i arv?", "emergency"),
    ("Min mor kan ikke tisse. Er det arveligt?", "emergency"),  # the relative's sign now
    ("Efter tramadol fik jeg hængende mundvig, det er gået over nu", "emergency"),  # a face sign that passed
    ("Var i byen i går og nu ser jeg dobbelt", "emergency"),
    ("Blev rundtosset da jeg rejste mig for hurtigt, mundvigen hang, det gik over på et par sekunder",
     "emergency"),
    # what others noticed, exceptions, onsets, ordinary bladder troubles (blind round EO-ER)
    ("Fysioterapeuten sagde at jeg ikke kunne gå på en lige linje", "emergency"),
    ("Jeg kan sagtens gå på en lige linje, det er bare nakken", None),
    ("Hun testede følesansen på inderlårene, og jeg kunne næsten ikke mærke hendes berøring", "emergency"),
    ("Lægen testede følesansen i skridtet, og jeg kunne mærke hendes berøring fint", None),
    ("Kæresten påpeger at jeg ikke har været ude og tisse siden i går morges. Jeg har bare ikke trang", "emergency"),
    ("Strålen er blevet meget svag de sidste to dage", "emergency"),
    ("Jeg har forstørret prostata, strålen er svag som altid", None),
    ("Jeg har forstørret prostata, strålen er svag som altid, men i dag kan jeg slet ikke tisse", "emergency"),
    ("Jeg har sukkersyge, det er ikke nyt, men nu kan jeg ikke mærke når jeg tisser", "emergency"),
    ("Jeg får kun lidt ud ad gangen og føler stadig at jeg skal", "emergency"),
    ("Jeg får kun lidt ud ad gangen når jeg tisser, fordi jeg har drukket så lidt i dag", None),
    ("Min venstre fod er begyndt at slå ned når jeg går, lidt værre hver dag", "same_day"),
    ("Får biologisk medicin mod gigt og har fået ondt i lænden ned i benet", "same_day"),
    ("Jeg er 68 og tisser som jeg plejer. Nu har jeg for første gang i mit liv fået iskias", "soon"),
    ("Jeg er 68 og har haft iskias mange gange før, men nu for første gang i højre ben", None),
    ("Min mor mener jeg har feber, men termometret siger 36,9. Nakken er øm efter en køretur", None),
    ("Min mor mener jeg har feber, men termometret siger 38,9, og nakken er stiv", "emergency"),
    ("jeg taber ting hele tiden, men det har jeg altid gjort", None),
    ("jeg taber ting hele tiden, men det har jeg altid gjort, og nu er det blevet værre", "emergency"),
    ("Armen sov lidt fordi jeg havde sovet med armen under hovedet, men det gik over med det samme", None),
    ("Armen sov fordi jeg havde sovet med armen under hovedet, og den sover stadig", "soon"),
    ("Min veninde fik lammelser i benene. Jeg har iskias, men ingen lammelser", None),
    ("Jeg kan ikke mærke begge ben normalt", "emergency"),
    ("Min arm sov, det gik over da jeg flyttede den, men nu er begge hænder følelsesløse", "emergency"),
    ("Min svigerfar kunne ikke tisse pga en diskusprolaps. Jeg har også en, men tisser helt fint", None),
    ("Min mand kan ikke tisse. Jeg har bare ringet til lægen", "emergency"),  # not a contrast
    ("Min mand kan ikke tisse og har ondt i ryggen. Det har jeg ikke set før.", "emergency"),
    ("Min far har ondt i nakken og hans ansigt hænger. Det har jeg ikke set før", "emergency"),
    ("Min far kunne ikke tisse efter sin operation. Jeg har bare ondt i nakken", None),
    ("Min svigermor siger at ryggen skal undersøges fordi hun selv har haft kræft. Jeg er 34", None),
    ("Jeg snublede næsten på trappen, men greb fat i gelænderet, og nu gør lænden ondt", None),
    ("Jeg snubler næsten hele tiden over min højre fod", "same_day"),
    ("Lidt svært ved at få rejsning siden foråret, lægen mener det er stress", None),
    ("Jeg kan ikke få rejsning mere efter iskiassen kom i går, og det er ikke stress", "emergency"),
    ("Min mor er blevet inkontinent. Selv har jeg ondt i nakken. Er det arveligt med blæreproblemer?", None),
    ("Jeg har fået blæreproblemer, er det arveligt?", "emergency"),
    ("men nu kan jeg ikke rigtig mærke begge hænder", "emergency"),  # red team of EO-ER
    ("Nu har jeg ingen kraft i hverken venstre arm eller venstre ben", "emergency"),
    ("Jeg har ingen smerter i hverken venstre arm eller venstre ben", None),
    ("Snublede næsten på trappen, men det er mere at højre fod ikke vil løftes ordentligt", "same_day"),
    # compound nouns, words with two meanings, getting care, keeping active (blind round ES-EV)
    ("Nye blære- og tarmforstyrrelser, nakkesmerter", "emergency"),
    ("Ingen blære- eller tarmforstyrrelser, kun nakkesmerter", None),
    ("Sphinctersymptomer + bilat. iskias", "emergency"),
    ("Iskias hø. + tiltagende kraftnedsættelse i fodløft over en uge", "same_day"),
    ("Ingen kraftnedsættelse i benet, kun smerter", None),
    ("Natlige smerter kun når jeg vender mig i sengen, ellers sover jeg fint", None),
    ("Natlige smerter, konstante, værst kun når jeg vender mig", "soon"),
    ("Dansede til bryllup hele natten og nu gør lænden ondt igen", None),
    ("Arbejdede hele natten fordi jeg ikke kunne sove af smerter, ondt hele natten", "soon"),
    ("Min mand kørte mig på skadestuen, jeg havde ondt hele natten", "soon"),
    ("Havde ondt efter at have danset hele natten", None),
    ("Lammet skal steges i 3 timer til påske, og nakken gør ondt af at stå over gryderne", None),
    ("Min mor er pludselig lammet efter aftensmaden", "emergency"),
    ("Lammet og kan ikke spise", "emergency"),
    ("Jeg bliver helt lammet når jeg skal ringe til kommunen om min sygemelding", None),
    ("Mine ben bliver helt lammede når jeg skal gå til bussen", "emergency"),
    ("Jeg blev helt lammet af panik, men jeg har ingen feber", None),
    ("Mine ben er lammede efter benday i fitness, kan knap gå op ad trapperne haha", None),
    ("Hele familien har VM-feber og jeg har heppet så meget at nakken er øm", None),
    ("Jeg har feber og stiv nakke, det er ikke VM-feber", "emergency"),
    ("Black Friday feberen ramte mig og nu gør lænden ondt", None),
    ("Har lavet alt for mange smash-slag til badminton, nu er nakken øm", None),
    ("Min makker ramte mig med et golf-slag i nakken, køllen ramte hårdt", "emergency"),
    ("Har ringet til 1813 for min mand som har feber og ondt i halsen. Kan jeg spørge om min iskias?", None),
    ("Jeg skriver for min mand som har feber og stiv nakke. Jeg har selv ondt i ryggen", "emergency"),
    ("Lægen kan ikke se mig før i næste uge, men jeg kan tisse og har kraft i begge ben", None),
    ("Jeg har kraft i begge ben, men begge fødder sover", "emergency"),
    ("Jeg tissede i bukserne i dag, og ikke af grin. Jeg mærkede det ikke engang", "emergency"),
    ("Jeg tissede lidt i bukserne af grin i går", None),
    ("Min mand siger jeg har feber og stiv nakke. Jeg har selv fået ondt", "emergency"),  # he noticed it on me
    ("Min mand siger jeg ikke kan gå lige. Jeg har bare ondt i ryggen", "emergency"),
    ("Jeg har fuld kraft i begge ben, men de er helt følelsesløse", "emergency"),  # red team of ES-EV
    ("Prikken i venstre fod, kun den ene fod, ellers har jeg fin kraft i begge ben", None),
    ("Hans golfslag tog mig i baghovedet, nu er nakken helt låst", "emergency"),
    ("Jeg tisser i bukserne, og det er ikke når jeg griner, jeg mærker det ikke", "emergency"),
    ("Min far kan ikke gå lige. Jeg har bare ondt i ryggen selv, men jeg skriver om ham", "emergency"),
    ("Jeg bruger appen for min kæreste der har feber og frygtelig hovedpine. Jeg har selv bare min ryg", "emergency"),
    # vague body words, corrections, children, degrees (blind round EW-EZ)
    ("Numsen er sovet ind og den vågner ikke igen, og jeg har ondt i lænden", "emergency"),
    ("Numsen sov lidt efter den lange køretur, men den vågnede igen med det samme", None),
    ("Det private føles bedøvet og ryggen gør ondt", "emergency"),
    ("Der hvor man sidder på en cykelsadel er helt følelsesløst siden i morges", "emergency"),
    ("Min mand kan kun halvt mærke toiletpapiret når han tørrer sig", "emergency"),
    ("Han kan ikke mærke når han skal, det kommer bare", "emergency"),
    ("Det kommer bare ud bagi uden at jeg mærker det", "emergency"),
    ("Har ikke haft styr på det bagi i nat", "emergency"),
    ("Rejsningen virker kun halvt efter det med ryggen startede", "emergency"),
    ("Kraften i begge hænder er nede på 70 procent af normalt", "emergency"),
    ("Lægen testede kraften i begge hænder, den var helt normal", None),
    ("Venstre fod løfter ikke helt så godt som i forgårs", "same_day"),
    ("Jeg skrev kun i højre ben, men venstre ben er også følelsesløst nu", "emergency"),
    ("Blev kørt bagfra på motorvejen i går, nakken er stiv", "emergency"),
    ("Jeg føler mig mere syg end ved en almindelig influenza, og ryggen gør ondt", "same_day"),
    ("Vi har fundet sprøjter på vores søns værelse, han har frygtelig ondt i ryggen", "same_day"),
    ("Jeg sprøjter mig med insulin for min diabetes og har ondt i lænden", None),
    ("Jeg sprøjter mig med heroin og har ondt i lænden", "same_day"),
    ("Den knude de fjernede fra mit bryst for tre år siden, kan den give ondt i ryggen?", "soon"),
    ("Mit barn på 12 klager over ondt i lænden", "soon"),
    ("Næsten 6 kg tabt uden slankekur og nakken værker", "soon"),
    ("Har tabt 6 kg på slankekur og nakken værker", None),
    ("I dag er feberen væk. Selv har jeg fået en stiv nakke af at sove skævt", None),
    ("I går var feberen væk, men nu har jeg feber igen og stiv nakke", "emergency"),
    ("Jeg faldt bare i søvn i en skæv stilling og vågnede med en stiv nakke", None),
    ("Jeg faldt på isen og slog hovedet, og nakken er stiv", "emergency"),
    ("Nej vent, det med svimmelhed og dobbeltsyn var min mormor sidste år. Jeg har bare en stiv nakke", None),
    ("Det med dobbeltsyn var min mand der så først. Jeg har stadig dobbeltsyn og ondt i nakken", "emergency"),
    ("Mit barnebarn faldt ned fra et træ. Jeg selv er 61 og har iskias igen", None),
    ("Mit barnebarn faldt ned fra et træ og slog nakken. Jeg selv er 61", "emergency"),
    ("Det med lammelsen i benene var min far, men nu har jeg det også selv", "emergency"),
    ("Det med feber og stiv nakke var min søn, han er 16", "emergency"),  # a parent may write for a child
    ("Det med dobbeltsyn var min mor, jeg skriver for hende", "emergency"),
    ("Min taske er 5 kg lettere nu, og ryggen har det bedre", None),
    ("Jeg kan ikke mærke når jeg skal dreje hovedet, det kommer bare", None),
    ("Rejsningen er ikke helt væk, den er fin", None),
    ("Vi fandt sprøjter i parken på gåturen, og min ryg gør ondt", None),
    ("Min søn på 15 klager over at han skal i skole, og jeg har ondt i nakken", None),
    ("Min kræft er vendt tilbage, og jeg har ondt i ryggen", "soon"),
    ("Jeg skrev at jeg ikke kunne tisse - undskyld, autocorrect! Jeg mente at jeg ikke kunne sidde", None),
    ("Jeg kan ikke tisse, autocorrect retter alt hvad jeg skriver", "emergency"),
    ("Ignorer min første besked om feber og dobbeltsyn, den var til min søster", None),
    ("Ignorer min første besked, nu har jeg feber og stiv nakke", "emergency"),
    ("Jeg skrev før at jeg havde tabt mig. Det er fordi jeg er på kur", None),
    ("Jeg har tabt mig 6 kilo. Det er ikke fordi jeg er på kur", "soon"),
    ("Kan kun få halv erektion siden iskiassen startede i forgårs", "emergency"),
    ("Kraften i venstre fod er nede på 70 procent af normalt og det bliver værre", "same_day"),
    ("Det med følelsesløsheden i skridtet var ikke min mor, det er mig selv", "emergency"),
    ("Min kæreste sprøjter sig med amfetamin. Han har haft voldsomme rygsmerter i 4 dage", "same_day"),
    # round FA-FD (twenty-first session): linking words, comparisons, lay medical words, wrong everyday causes
    ("Han har ondt i nakken, og hvis han ikke holder fast i noget, vælter han når han går", "emergency"),
    ("Hvis jeg ikke holder fast i barnet, falder hun", None),
    ("jeg vælter ikke når jeg går", None),
    ("Min far har iskias. I dag er han faldet to gange fordi benene ikke kan bære ham", "emergency"),
    ("Min kone har diskusprolaps, benene bærer hende simpelthen ikke", "emergency"),
    ("Benene bærer mig fint, det er kun lænden", None),
    ("Jeg kan ikke gå uden at venstre fod slæber hen ad jorden", "same_day"),
    ("Jeg går uden at foden slæber nu, det er blevet bedre", None),
    ("Jeg kan stå på hælen på venstre fod men ikke på den højre længere", "same_day"),
    ("Jeg kan gå på tæer på begge fødder men ikke så længe", None),
    ("Jeg vågner hver nat af smerter, og selvom jeg skifter stilling, bliver det ikke bedre", "soon"),
    ("Selvom jeg skifter stilling om natten, sover jeg fint", None),
    ("Det er 6 uger siden nakken begyndte at gøre ondt, og den er ikke blevet det mindste bedre", "soon"),
    ("Nakken gør ondt og det prikker og stikker ned i højre arm ud i tommelfingeren", "soon"),
    ("Nakken er helt lammet i dag, kan ikke dreje hovedet. Tror jeg har sovet forkert", None),
    ("Ryggen er lammet og jeg kan ikke gå", "emergency"),
    ("Nakken er helt lammet og jeg taber ting ud af hænderne", "emergency"),
    ("Mit ben føles tungt, lidt som om det er lammet, men jeg kan sagtens gå på tæer og hæle", None),
    ("Havde influenza med feber for 14 dage siden. Er helt frisk og feberfri nu, men har ondt i lænden", None),
    ("Havde feber for 14 dage siden og er feberfri nu. I aftes fik jeg 39,5 og stiv nakke", "emergency"),
    ("Sidste gang jeg havde iskias fik jeg problemer med at tisse og blev opereret. Denne gang er det kun smerter i"
     " benet", None),
    ("Sidste gang jeg havde iskias fik jeg problemer med at tisse og blev opereret. Nu kan jeg kun tisse lidt ad"
     " gangen", "emergency"),
    ("Første gang jeg fik iskias var for 2 uger siden, og nu kan jeg ikke tisse", "emergency"),
    ("Min læge siger, at jeg først skal bekymre mig, hvis jeg får svært ved at tisse. Hvordan ved jeg det?", None),
    ("Min læge siger, at jeg først skal bekymre mig, hvis jeg får svært ved at tisse. Det har jeg nu!", "emergency"),
    ("Min læge sagde jeg skulle ringe hvis jeg fik svært ved at tisse, og det gør det nu", "emergency"),
    ("Hvad hvis jeg får feber og stiv nakke? Det har jeg nu", "emergency"),
    ("Lægen siger jeg skal bekymre mig hvis benene bliver svage, og det er de blevet", "emergency"),
    ("Kørte 80 km på racersadlen. Var sovende i skridtet mens jeg cyklede, men det forsvandt da jeg stod af", None),
    ("Efter turen på racercyklen er mit skridt følelsesløst og det forsvandt ikke da jeg stod af", "emergency"),
    ("Min bror blev opereret for iskias i begge ben. Jeg har kun i det ene, er det mindre alvorligt?", None),
    ("Min bror har iskias i begge ben. Jeg har også iskias i begge ben nu", "emergency"),
    # its red team, and the harmless twins of the patterns it added
    ("Hælgang går fint på venstre, men på højre synker jeg ned", "same_day"),
    ("Hælgang og tågang går fint, jeg kan ikke sidde længe", None),
    ("Nu kan han ikke gå uden at tage fat i væggen, ellers falder han. Han har ondt i nakken", "emergency"),
    ("Jeg kan ikke gå uden at holde mig i gelænderet på trappen, fordi knæet gør ondt", None),
    ("Hvad hvis man får stød ned gennem kroppen når man bøjer nakken? Det sker for mig hver gang jeg kigger ned",
     "emergency"),
    ("Hvad hvis man får feber? Det sker for mig tit om vinteren at jeg bliver forkølet", None),
    ("Min kollega blev følelsesløs i skridtet. Det var jeg ikke først, men nu er jeg det også", "emergency"),
    ("Min kollega fik stiv nakke og feber. Nu er jeg også bekymret", None),
    ("Min kone har iskias og i dag vil hendes ben ikke bære hende", "emergency"),
    ("Jeg har ingen kraft i benene længere og ondt i ryggen", "emergency"),
    ("På den ene fod kan jeg stå på hælen, på den anden falder tæerne bare ned", "same_day"),
    ("Efter jeg cyklede blev skridtet følelsesløst, og det forsvandt ikke", "emergency"),
    # round FE-FH: generic pronouns, known conditions, signs told as questions, what the writer did about it
    ("du ved, når en ikke kan holde på det... det er sket to gange i dag siden ryggen gik i baglås", "emergency"),
    ("kan ikke holde på noget længere, det løber bare", "emergency"),
    ("Han kan ikke holde på det med smerterne, han fortæller det til alle", None),
    ("man har jo nærmest ingen kraft i nogen af benene nu, begge to svigter på trappen", "emergency"),
    ("når man bøjer hovedet frem får man sådan et elektrisk stød ned gennem hele kroppen", "emergency"),
    ("Hvad betyder det at jeg er helt følelsesløs i skridtet? Det kom i går", "emergency"),
    ("hvad betyder det at venstre arm er svag når jeg løfter kaffekoppen? nakken har gjort ondt", "soon"),
    ("Hvad betyder følelsesløshed i skridtet?", None),
    ("Hvad betyder det at man får feber?", None),
    ("en på 17 burde vel ikke kunne få iskias? det er første gang det sker for mig", "soon"),
    ("nakkesmerter siden starten af oktober og nu er det december, de er ikke blevet bedre", "soon"),
    ("Lænden er værst om natten, de vækker mig og det hjælper hverken at skifte stilling eller stå op", "soon"),
    ("min mand har lagt et plastiklagen i sengen fordi jeg har tisset i den to nætter i træk", "emergency"),
    ("Min mor har knogleskørhed og fik i går pludselig meget ondt i ryggen", "soon"),
    ("Min mand er fodboldtræner for U13 og fik ondt i lænden, da han viste en øvelse", None),
    ("Jeg kan mærke begge fødder og alle tæer helt fint, det er bare smerten i højre ben der driller", None),
    ("Jeg kan mærke begge fødder helt fint, men de er svage", "emergency"),
    ("Fødderne kan jeg mærke fint, men begge ben er sovet ind fra knæene og op", "emergency"),
    ("Hvor tit får folk egentlig iskias i begge ben? Mit er heldigvis kun i det højre", None),
    ("hvor mange får problemer med at holde på afføringen? det skete for mig i nat", "emergency"),
    ("Jeg har tabt et par kilo fordi jeg har lagt kosten om efter aftale med min læge", None),
    ("Jeg har tabt 5 kilo uden at have lagt kosten om", "soon"),
    ("Jeg er usikker på benene pga min neuropati, det har jeg været i flere år og det er ikke blevet værre", None),
    ("Jeg er usikker på benene pga min neuropati, men det er blevet værre de sidste dage", "emergency"),
    ("Jeg har haft et par uheld med afføringen pga min IBS, senest for et halvt år siden. Maven er helt normal for"
     " tiden", None),
    ("ingen af mine ben vil bære mig ordentligt i dag", "emergency"),
    ("der er ingen styrke i hverken det ene eller det andet ben", "emergency"),
    ("mine knæ knækker sammen under mig, begge to, når jeg prøver at gå", "emergency"),
    # round FI-FL: numbers and times, physical work and sport, night and waking, signs that come and go
    ("Ingen tab af kontrol over blære eller tarm. Bare ondt i lænden", None),
    ("Jeg har ingen kontrol over blæren længere og ondt i lænden", "emergency"),
    ("Min søn på 16 har igen ondt i nakken efter gaming. Han har haft det flere gange før", None),
    ("Min søn på 16 har ondt i ryggen for første gang nogensinde", "soon"),
    ("Min mor på 75 faldt i sidste uge. Nu har jeg fået ondt i ryggen af at hjælpe hende op og ned", None),
    ("Min mor på 80 har fået voldsomme smerter i ryggen af at løfte sit barnebarn", "soon"),
    ("Min mor på 80 har knogleskørhed, hun har det fint, men er iskias arveligt?", None),
    # a relative's emergency sign stays one unless the relative is already being treated for it
    ("Min far har iskias i begge ben. Jeg har selv kun ondt ned i højre ben, er det arveligt?", "emergency"),
    ("Min far har iskias i begge ben. Jeg har selv kun ondt i ryggen, men jeg kan ikke mærke når jeg tisser",
     "emergency"),
    ("Begge arme er møre og trætte efter styrketræning i går", None),
    ("Begge arme er svage og prikker, og nakken gør ondt", "emergency"),
    ("Er 37,2 feber? Har ondt i lænden", None),
    ("Jeg har 38,6 i feber og ondt i lænden", "same_day"),
    ("Jeg faldt IKKE af hesten, jeg har bare siddet skævt og nu er nakken stiv", None),
    ("Jeg faldt af hesten i går og nu er nakken stiv", "emergency"),
    ("Lægen sagde jeg skulle holde øje med om jeg ikke kan mærke når jeg tisser. Det kan jeg heldigvis fint", None),
    ("Lægen sagde jeg skulle holde øje med om jeg ikke kan mærke når jeg tisser. Det kan jeg ikke nu", "emergency"),
    ("Havde ikke tisset i 8 timer fordi der ikke var tid til pauser. Nu har jeg tisset helt normalt", None),
    ("Har ikke kunnet tisse i 8 timer selvom jeg prøver, og ryggen er øm", "emergency"),
    ("Jeg så en spiller blive båret ud med en nakkeskade og blev bange. Jeg har selv bare ondt fra bænkpres", None),
    ("Jeg så en spiller komme løbende og han tacklede mig, så jeg faldt på nakken", "emergency"),
    ("Jeg har sovet på armen og vågnede med en død hånd, men efter et par minutter var det væk igen", None),
    ("Har haft feber i nat – altså min datter, ikke mig. Jeg har bare ondt i nakken", None),
    ("Jeg var sløj i weekenden men det var tømmermænd, nu er jeg frisk", None),
    ("Da jeg var 25 kunne jeg ikke tisse i en dag og blev opereret. Nu 20 år senere tisser jeg helt normalt",
     None),
    ("Jeg tabte en kop i morges fordi jeg ikke var vågen endnu, ellers fungerer hænderne helt fint", None),
    ("Ondt i nakken og ned i venstre arm, og jeg har svært ved at holde ordentligt fast med venstre hånd", "soon"),
    ("Nakken har været øm i over en måned, ikke rigtig bedre samlet set", "soon"),
    ("Iskias i højre ben i 5 dage, i dag giver benet efter efter 10 meter og jeg falder", "emergency"),
    ("Har haft iskias i højre ben i en måned, nu er det begyndt at stråle ned i venstre ben også", "emergency"),
    ("Ondt i højre ben, venstre ben er helt fint", None),
    ("I nat skulle jeg tisse men der kom næsten ikke noget, og blæren føles stadig fuld", "emergency"),
    ("Jeg tissede i morges og der kom en masse, blæren føles fin", None),
    ("Når jeg sidder på toilettet ved jeg ikke om der kommer noget, jeg er nødt til at kigge efter", "emergency"),
    ("Jeg ved ikke om der kommer noget ud af det her, men jeg prøver at skrive", None),
    # round FM-FP: long stories, daily life, carers writing in the third person, metaphors
    ("Nu er det kommet igen. I nat har jeg stået på toilettet i lang tid og der kommer næsten ikke noget, selvom jeg"
     " føler jeg skal tisse", "emergency"),
    ("Min far fik en blodprop i hjernen sidste efterår, han snøvlede. Han er heldigvis kommet sig godt. Jeg har ondt"
     " i nakken", None),
    ("Min far fik en blodprop i hjernen i går, han snøvler og kan ikke løfte armen", "emergency"),
    ("Min søster fik cauda equina, hun har stadig problemer med at tisse. Men jeg har ingen af hendes symptomer", None),
    ("Min datter tager medicin der dæmper immunforsvaret. Jeg har selv fået ondt i lænden efter flytningen", None),
    ("Jeg har købt panodil til min mand der har feber, men nu har jeg selv fået feber og ondt i ryggen", "same_day"),
    ("Hvordan spørger jeg en beboer med rygsmerter om han har svært ved at holde på vandet?", None),
    ("Min bror er overbevist om at han har hjernehindebetændelse, men han har ingen feber og tåler lys", None),
    ("Hun siger jeg skal spørge om ridebukseområdet. Jeg kan mærke alt og tørrer mig helt normalt", None),
    ("Hun siger jeg skal spørge om ridebukseområdet. Det er helt følelsesløst siden i går", "emergency"),
    ("Jeg går som en fuld mand fordi jeg halter og skåner højre ben. Balancen er fin", None),
    ("Jeg går som en fuld mand og holder mig i væggene, det kom i går", "emergency"),
    ("Fik en lokalbedøvelse dernede hos gynækologen i går, den er helt væk nu", None),
    ("Det føles som en lokalbedøvelse dernede, og det er ikke gået væk", "emergency"),
    ("Har fået en ny kontorstol som er som at sidde på en pude", None),
    ("Det føles som at sidde på en pude, jeg kan ikke mærke sædet", "emergency"),
    ("Hun siger det er som en hammer i baghovedet efter computerarbejde", None),
    ("Hjemmeplejen: borgeren har brugt ble i 10 år pga kendt inkontinens, ingen ændring", None),
    ("Jeg har altid skullet tisse tit om natten pga min prostata, det er ikke ændret", None),
    ("Jeg har altid smerter om natten, også når jeg ligger stille", "soon"),
    ("Benet føles tungt når smerten er værst, men jeg kan stå på tæer og hæle på begge ben", None),
    ("Jeg kan stå på tæer og hæle, men jeg har ondt i begge ben", "emergency"),
    ("Kan ikke trykke speederen ordentligt ned med højre fod mere, den bliver svagere for hver dag", "same_day"),
    ("Jeg kan ikke trykke bremsen helt ned uden at det gør ondt i ryggen", None),
    ("Jeg taber min venstre sandal når jeg går uden at opdage det", "same_day"),
    ("Jeg kunne ikke gå ud til postkassen i dag uden at holde fast i hækken", "emergency"),
    ("Jeg kan ikke gå ned ad trappen uden at holde fast i gelænderet fordi knæet gør ondt", None),
    ("Min far kan ikke længere gå ud i køkkenet uden at gå som en fuld mand", "emergency"),
    ("Jeg skal kigge ned for at se om der kommer noget når jeg tisser, jeg føler ingenting", "emergency"),
    ("højre arm er som en våd klud når jeg løfter kaffekoppen, siden nakken begyndte at gøre ondt", "soon"),
    ("For 12 år siden fik jeg et piskesmæld. Det har været helt fint i mange år nu", None),
    # its red team, and the harmless twins of the patterns it added
    ("Hun har iskias, og hun sagde i går at det bare løber uden hun mærker noget", "emergency"),
    ("Min søn på 3 har tisset i bukserne i børnehaven", None),
    ("Jeg kan trykke pedalen ned uden at det gør ondt, men kun halvvejs, for foden har ingen kræfter. Det er blevet"
     " værre siden sidste uge", "same_day"),
    ("Jeg kan ikke sætte af med højre fod fordi hælen gør ondt efter løb", None),
    ("Gik tur med hunden og maatte tage fat i hver eneste lygtepæl. Nakken har gjort ondt i 10 dage", "emergency"),
    ("Jeg må holde fast i indkøbsvognen fordi ryggen gør ondt når jeg går", None),
    ("jeg svajer fra side til side når jeg går og har ondt i nakken", "emergency"),
    ("Jeg svajer lidt når jeg står op hurtigt, det går over", None),
    ("Højre arm hænger som en våd klud, og nu er venstre hånd også begyndt at sove", "emergency"),
    ("Venstre arm er også øm efter træning, højre arm er fin", None),
    ("rejste mig fire gange for at tisse og hver gang kom kun et lille pift ud", "emergency"),
    ("Der kom kun et par dråber blod da jeg skar mig, ryggen er øm", None),
    # the new rules about relatives never drop the writer's own sign, or a relative's new one
    ("Min far fik en blodprop sidste år og er heldigvis kommet sig, men i dag snøvler han og hans mund hænger",
     "emergency"),
    ("Min søster fik cauda equina, og jeg har ingen af hendes symptomer udover at jeg ikke kan tisse", "emergency"),
    ("Hvordan spørger jeg min læge om det er farligt at jeg ikke kan tisse?", "emergency"),
    ("Min far har iskias i begge ben og kan ikke tisse. Jeg har selv kun ondt i ryggen", "emergency"),
    ("Min far har iskias i begge ben og skal opereres i næste uge. Jeg har selv kun ondt ned i højre ben", None),
    # round FQ-FT: words of change, run-on messages, self-tests, treatment questions with a sign in passing
    ("Jeg er holdt op med at kunne få rejsning efter rygsmerterne startede for 5 dage siden", "emergency"),
    ("Han siger han er holdt op med at kunne mærke når han skal tisse", "emergency"),
    ("Jeg er holdt op med at kunne sove om natten pga iskias", None),
    ("Min far har iskias og siger nu at han ikke kan mærke om der kommer noget når han er på toilettet",
     "emergency"),
    ("har lige prikket mig selv med en sikkerhedsnål inde på lårene og omkring numsen for at teste. kan næsten ikke"
     " mærke noget der", "emergency"),
    ("Prikkede mig med en nål omkring numsen og på indersiden af lårene, kan mærke det helt normalt begge steder",
     None),
    ("prikkede mig på numsen og inderlårene, jeg kan godt mærke det", None),
    ("prikkede mig på numsen med en nål og kan næsten ikke mærke noget", "emergency"),
    ("Min datter lavede nogle tests på mig. Jeg kunne mærke når hun prikkede på begge ben og inde ved numsen", None),
    ("Før kunne jeg sagtens løfte højre arm over hovedet, nu er den blevet svag, og det stråler fra nakken",
     "soon"),
    ("Før kunne jeg sagtens gå på tæer med højre fod, nu er den blevet svag", "same_day"),
    ("før kunne jeg gå lange ture på benene, nu kan jeg ikke pga smerterne", None),
    ("Nakkesmerter ned i venstre arm, og jeg kan ikke holde ordentligt om kaffekoppen med venstre hånd", "soon"),
    ("jeg kan ikke holde kaffekoppen uden at det gør ondt i nakken", None),
    ("Med venstre fod kan jeg næsten ikke mere løfte forfoden, i søndags var den kun lidt svag", "same_day"),
    ("min far fik lammelser i benene pga en prolaps for mange år siden og jeg er bekymret for om det er arveligt nu"
     " hvor jeg har lidt iskias i det ene ben", None),
    ("min far fik lammelser i benene for mange år siden, og nu har han fået det igen", "emergency"),
    ("min far fik en prolaps for mange år siden, og nu er hans ben pludselig lammede", "emergency"),
    ("min mor døde for 5 år siden og nu kan jeg ikke mærke når jeg tisser", "emergency"),
    ("Min mand blev opereret for prostatakræft for tre år siden og har nu fået nye smerter i lænden", "soon"),
    ("Jeg har lige prøvet at gå på hæle og tæer, og det går fint på begge ben. Det er bare iskiassmerten i højre"
     " ben der driller", None),
    ("det går fint på begge ben men de sover helt", "emergency"),
    ("Min mand og jeg testede mit håndtryk, begge hænder er lige stærke", None),
    ("begge hænder er lige svage", "emergency"),
    ("Har testet begge ben, det er kun venstre der gør ondt. Højre er lige så stærkt som altid", None),
    ("Har testet begge ben, de er begge blevet svage, det er kun venstre der gør ondt", "emergency"),
    ("Kiggede efter om mit ansigt hang, det gør det ikke. Ser heller ikke dobbelt", None),
    ("Kiggede efter om mit ansigt hang, og det gør det", "emergency"),
    ("Jeg kiggede efter om mit ansigt hang, det gør det ikke, men nu hænger venstre mundvig", "emergency"),
    ("jeg testede om jeg kunne gå på hælene og det kan jeg ikke", "same_day"),
    ("mærkede efter om jeg kunne mærke toiletpapiret og det kunne jeg ikke", "emergency"),
    ("Jeg tjekkede om jeg havde feber, det havde jeg ikke", None),
    ("Jeg tjekkede om jeg havde feber og det havde jeg, 39,2", "same_day"),
    ("Jeg fik piskesmæld i 2012, men det her er noget andet, jeg vågnede bare med en stiv nakke i morges", None),
    ("jeg fik piskesmæld i går, det her er noget andet end sidst", "emergency"),
    # round FU-FX: pronouns across sentences, sides and counts, aids in place, conversational Danish
    ("Mit højre ben har været svagt et par dage. Nu er det venstre også begyndt, og jeg kan næsten ikke stå på dem",
     "emergency"),
    ("Jeg kan ikke løfte fødderne op, ingen af dem, hverken højre eller venstre", "emergency"),
    ("jeg har ingen problemer med fødderne, ingen af dem", None),
    ("benet er blevet meget værre i løbet af dagen, nu kan jeg slet ikke løfte det og jeg falder sammen når jeg"
     " træder på det", "emergency"),
    ("Har iskias. Det føles som om jeg sidder på en cykelsadel hele tiden, der er ingen følelse i det område",
     "emergency"),
    ("I går var det skiftevis den ene og den anden arm der sov. I dag sover de begge to hele tiden", "emergency"),
    ("mine børn sover begge to, så nu har jeg tid til at skrive om min nakke", None),
    ("Hånden på den side er blevet svagere, jeg kan ikke holde ordentligt på kaffekoppen med den", "soon"),
    ("Min mor fik en blodprop i hjernen sidste år. Hun talte sløret og hendes ansigt hang. Nu er jeg bange fordi jeg"
     " har ondt i nakken, men jeg har ikke noget af det hun havde", None),
    ("Min mor fik en blodprop i hjernen i går. Hun taler sløret og hendes ansigt hænger. Jeg har ikke noget af det"
     " hun havde før", "emergency"),
    ("Min mor fik nye knæ i begge ben sidste år. Nu har jeg selv fået iskias ned i det ene ben", None),
    ("Min mor fik nye knæ i begge ben sidste år, og nu er begge mine ben følelsesløse", "emergency"),
    ("Smerten skifter mellem højre og venstre side af nakken, men der er intet i armene", None),
    ("Smerten skifter mellem højre og venstre side af ryggen og ned i begge ben", "emergency"),
    ("Jeg løftede min datter op med begge arme og fik et jag i lænden", None),
    ("Må jeg lave øvelser med begge arme over hovedet når jeg har ondt i nakken?", None),
    ("Jeg kan ikke løfte noget med begge arme, de er svage", "emergency"),
    ("Jeg har stået på begge ben, gået på tæer og hæle, og det kan jeg fint. Ryggen er bare stram og øm", None),
    ("Jeg har stået på begge ben, gået på tæer og hæle, og det kan jeg fint, men begge ben sover", "emergency"),
    ("Jeg har lige tjekket: jeg kan mærke berøring på begge lår og i skridtet, og jeg kan sagtens holde på vandet",
     None),
    ("Min mand har haft en blodprop i hjernen for mange år siden, derfor er hans venstre arm lidt svag. Det er mig der"
     " har ondt i nakken", None),
    ("Min søn faldt af cyklen i går men han er helt ok. Det er mig der skriver om min egen nakke, jeg har ikke slået"
     " mig", None),
    ("Min søn faldt af cyklen i går men han er helt ok. Det er mig der skriver, jeg faldt også af cyklen og slog"
     " nakken", "emergency"),
    # round FY-GB: checklists ("emne: svar"), spelling, second-language Danish, risk factors and history
    ("tis: ok\nafføring: ok\nfølelse i skridtet: nej den er væk, føles som bedøvet\nfeber: nej", "emergency"),
    ("tis: ok\nafføring: ok\nfølelse i skridtet: ja, helt normal\nfeber: nej", None),
    ("følelse i skridtet: nej, ingen problemer", None),
    ("følelsesløshed i skridtet: nej", None),
    ("Kan holde på afføring: nej", "emergency"),
    ("Kan holde på afføring: ja", None),
    ("kraft i benene: nej", "emergency"),
    ("tis: kan ikke komme af med det, har prøvet siden i morges", "emergency"),
    ("tis: det går fint", None),
    ("vandladning: mærker ikke når det løber", "emergency"),
    ("Svarer på listen:\n- Kan tisse normalt: ja\n- Mærker alt i skridtet: ja\n- Begge ben: nej kun det ene", None),
    ("symptomer:\n- ondt i nakken\n- ømme skuldre\nikke: feber, svimmelhed, synkebesvær", None),
    ("symptomer:\n- ondt i nakken\n- synkebesvær\nikke: feber, svimmelhed", "emergency"),
    ("feber: nej\nsprøjter/stoffer: aldrig\nimmundæmpende medicin: nej", None),
    ("Kræft i familien: far (prostata)\nSelv: aldrig haft kræft\nProblem: lændesmerter i 1 uge", None),
    ("Inkontinens: har haft lidt stressinkontinens siden min anden fødsel for 10 år siden, ikke ændret", None),
    ("Inkontinens: siden i går", "emergency"),
    ("Venstre fod:\n- slasker når jeg går, snubler over kantsten\n- er blevet gradvist værre over de sidste 10 dage\n"
     "Har IKKE: problemer med tis, afføring eller følelse", "same_day"),
    ("Har:\n- ondt i ryggen\n- problemer med at tisse", "emergency"),
    ("Har ikke:\n- feber\n- problemer med at tisse", None),
    ("Mit ben var lidt svagt i starten, men nu kan jeg godt gå på tæer og hæle igen", None),
    ("Mit ben var svagt i starten, nu kan jeg godt gå men det er stadig svagt og foden slæber", "same_day"),
    ("Er iskias i begge ben farligt? Jeg har det heldigvis kun i venstre.", None),
    ("Jeg har iskias i begge ben, er det farligt? Jeg har det kun i venstre om natten", "emergency"),
    ("Leddegigt er der i familien (min mor), men jeg har det ikke selv. Har fået ondt i nakken, 27 år.", None),
    ("jeg har leddegigt, det er der meget af i familien, og nu har jeg ondt i nakken", "soon"),
    ("min bedstefar har problemer med at tisse, det er hans prostata. jeg (34) har ondt i ryggen, er det arveligt?",
     None),
    ("min bedstefar har problemer med at tisse, det er hans prostata. Men jeg kan heller ikke få det ud siden i går",
     "emergency"),
    ("Min far tager prednisolon for sin lunge. Selv tager jeg ingen medicin, har iskias i højre ben.", None),
    ("Jeg far prednisolon for min astma og har ondt i ryggen", "soon"),
    ("Har iskias og har tabt mig 10 kg de sidste 3 måneder, har ikke prøvet at tabe mig", "soon"),
    ("nu kom der noget i bukserne uden at jeg kunne holde det. plus iskias", "emergency"),
    ("nakke smerter der ik går væk om natten, vågner hver nat", "soon"),
    ("Det kommer bare af sig selv når jeg går, smerterne altså", None),
    # round GC-GF: very short messages, bladder and bowel troubles that are not it, worried writers, after a visit
    ("ingen følelse forneden!!", "emergency"),
    ("har ingen følelse forneden i ryggen, bare ondt", None),
    ("nu er det numst når jeg tørrer mig efter toilettet", "emergency"),
    ("fodspidsen hænger, værre end i går", "same_day"),
    ("Min mand har iskias og hans venstre fod dingler når han går", "same_day"),
    ("benet dingler lidt når jeg sidder på bordkanten", None),
    ("første gang med ondt i ryggen, er 67", "soon"),
    ("min mor kan ikke løfte nogen af sine arme over hovedet efter hun fik ondt i nakken i går", "emergency"),
    ("ingen af mine arme vil som de skal, de er kraftesløse begge to", "emergency"),
    ("ingen af mine arme gør ondt, det er kun nakken", None),
    ("Fik et panikanfald i går hvor jeg trak vejret alt for hurtigt og fik prikken i begge hænder. Det gik væk efter"
     " 10 min da jeg fik styr på vejret", None),
    ("Fik et panikanfald i går, det gik over, og i dag er begge mine hænder følelsesløse", "emergency"),
    ("Er det normalt at tisse lidt i bukserne når man hoster når man er gravid?", None),
    ("Jeg er gravid og har siden i går tisset i bukserne uden at mærke det", "emergency"),
    ("Jeg har tabt 4 kg, men det er fordi jeg er startet på en kur og løber. Skal jeg være bekymret over vægttabet?",
     None),
    ("Jeg har tabt 4 kg uden grund. Min kone er på kur. Skal jeg være bekymret over vægttabet?", "soon"),
    ("er stiv nakke altid hjernehindebetændelse? har ingen feber, har bare sovet dårligt", None),
    ("er stiv nakke altid hjernehindebetændelse? jeg har 39 i feber og lyset gør ondt", "emergency"),
    # round GG-GJ: the neck's emergencies and look-alikes, the legs in daily life, fever and infection, sex
    ("hovedpinen er helt anderledes end min vanlige spændingshovedpine, og jeg slører på ordene", "emergency"),
    ("Mit højre ben er på et døgn blevet så svagt at jeg ikke kan rejse mig fra stolen", "emergency"),
    ("mit højre ben har været svagt pga iskias men nu i morges giver det venstre også efter", "emergency"),
    ("Min mor på 81 snublede på trappen og landede med hovedet først. Nu har hun ondt i nakken", "emergency"),
    ("min lille ven er gået i hi, han vil ikke op og jeg kan ikke rigtig mærke ham siden ryggen gik i baglås",
     "emergency"),
    ("Jeg kan ikke mærke om tamponen sidder der?? Har haft voldsomt ondt i lænden med udstråling", "emergency"),
    ("jeg er på metadon og skyder stadig en gang imellem. ryggen gør helvedes ondt", "same_day"),
    ("Jeg vågner hver nat af nakkesmerter. De er der konstant og har ingenting at gøre med hvordan jeg ligger",
     "soon"),
    ("Kiropraktoren har behandlet mig 5 gange over 5 uger, men smerterne er lige så slemme som i starten", "soon"),
    ("Fik et lille whiplash da en bil bumpede ind i mig for 3 uger siden. Blev tjekket dagen efter, og det bliver"
     " bedre for hver dag", None),
    ("Fik whiplash for 3 uger siden, blev tjekket på skadestuen, det bliver bedre, men i dag snurrer begge hænder",
     "emergency"),
    ("Min mand synes mit ansigt så skævt ud på et billede, men jeg har lige tjekket i spejlet: smilet er lige", None),
    ("Er så stresset over arbejde og nakke at jeg slet ikke har lyst til min kæreste", None),
    ("Jeg får ikke sådan nogle stød når jeg bøjer hovedet, som der stod i pjecen", None),
    ("Når jeg bøjer hovedet får jeg stød ned gennem kroppen", "emergency"),
    ("I aftes snublede jeg over haveslangen, men tog fra med hænderne, slog ikke hovedet og nakken er ikke værre",
     None),
    ("Jeg faldt og slog ikke hovedet, men nakken ramte kanten", "emergency"),
    ("Lægen sagde jeg skulle ringe 112 hvis jeg fik problemer med at tisse eller følelsesløshed i skridtet", None),
    ("Lægen sagde jeg skulle ringe 112 hvis jeg fik problemer med at tisse. Nu kan jeg ikke tisse", "emergency"),
    ("Min mor får kemo og jeg passer hende, så jeg løfter hende meget og har fået ondt i lænden af det", None),
    ("kan slet ikke mærke begge arme", "emergency"),
    ("jeg kan ikke mærke nogen forskel på begge ben", None),
    ("kan ikke mærke forskel på begge ben, de er begge følelsesløse", "emergency"),
    ("Blev pludselig svimmel og væltede, kunne slet ikke holde balancen", "emergency"),
])
def test_what_ifs_reasons_and_timelines(text: str, tier: str | None) -> None:
    top = most_urgent(get_detector().detect(text, learned=False))
    assert (top.tier if top else None) == tier, text


def test_the_bots_own_screening_questions_pasted_back_are_read_as_answered() -> None:
    """Patients paste the bot's question with their answer ("> Bot: ...? nej", "[14:03] Mig: nej"). A no to
    the whole question denies every sign in it; read word by word, its inner "kan du ikke mærke" would turn
    the no into a sign (every one of these was escalated before). A yes, or a sign told after the no, stays."""
    detector = get_detector()
    questions = [f.question for f in load_red_flags() if f.question]
    assert len(questions) >= 10
    for question in questions:
        for text in (f"> Bot: {question}\nnej", f"{question} Nej, intet af det.",
                     f"[14:02] Bot: {question}\n[14:03] Mig: nej"):
            assert detector.detect(text, learned=False) == [], text
        for text in (f"{question} ja", f"Bot: {question}\nMig: nej men jeg kan ikke tisse",
                     f"{question} nej. Nu er jeg følelsesløs i skridtet"):
            assert detector.detect(text, learned=False), text
