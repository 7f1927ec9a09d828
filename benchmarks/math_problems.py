"""A seeded generator of math problems with exact answers: arithmetic, counting, probability, word problems.

About a quarter are not in English (French, Spanish, German). Every answer is an exact Fraction,
computed from the same numbers the text shows, so a problem set is reproducible from its seed:

    from benchmarks.math_problems import generate
    problems = generate(200, seed=0)   # [{"id", "kind", "language", "question", "answer"}]
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from fractions import Fraction

Problem = dict[str, object]
Maker = Callable[[random.Random, str], tuple[str, Fraction]]

FRACTION_HINT = {
    "en": "Give the answer as a fraction in lowest terms.",
    "fr": "Donnez la réponse sous forme de fraction irréductible.",
    "es": "Da la respuesta como fracción irreducible.",
    "de": "Gib das Ergebnis als gekürzten Bruch an.",
}


def _product(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    a, b = rng.randint(12, 999), rng.randint(12, 99)
    text = {
        "en": f"What is {a} * {b}?",
        "fr": f"Combien font {a} × {b} ?",
        "es": f"¿Cuánto es {a} × {b}?",
        "de": f"Was ist {a} · {b}?",
    }[lang]
    return text, Fraction(a * b)


def _order_of_operations(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    a, b, c, d = (rng.randint(2, 40) for _ in range(4))
    expression = f"{a} + {b} * {c} - {d}"
    text = {
        "en": f"Compute {expression}.",
        "fr": f"Calculez {expression}.",
        "es": f"Calcula {expression}.",
        "de": f"Berechne {expression}.",
    }[lang]
    return text, Fraction(a + b * c - d)


def _fraction_sum(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    a, b = rng.randint(1, 9), rng.randint(2, 12)
    c, d = rng.randint(1, 9), rng.randint(2, 12)
    text = {
        "en": f"What is {a}/{b} + {c}/{d}?",
        "fr": f"Combien font {a}/{b} + {c}/{d} ?",
        "es": f"¿Cuánto es {a}/{b} + {c}/{d}?",
        "de": f"Was ist {a}/{b} + {c}/{d}?",
    }[lang]
    return f"{text} {FRACTION_HINT[lang]}", Fraction(a, b) + Fraction(c, d)


def _choose(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    n = rng.randint(5, 15)
    k = rng.randint(2, min(5, n - 1))
    text = {
        "en": f"In how many ways can a committee of {k} be chosen from {n} people?",
        "fr": f"De combien de façons peut-on choisir un comité de {k} personnes parmi {n} ?",
        "es": f"¿De cuántas maneras se puede elegir un comité de {k} personas entre {n}?",
        "de": f"Auf wie viele Arten kann man aus {n} Personen einen Ausschuss von {k} wählen?",
    }[lang]
    return text, Fraction(math.comb(n, k))


def _arrangements(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    n = rng.randint(4, 9)
    text = {
        "en": f"In how many different orders can {n} different books be placed on a shelf?",
        "fr": f"De combien de façons peut-on ranger {n} livres différents sur une étagère ?",
        "es": f"¿De cuántas maneras se pueden ordenar {n} libros distintos en un estante?",
        "de": f"Auf wie viele Arten kann man {n} verschiedene Bücher in ein Regal stellen?",
    }[lang]
    return text, Fraction(math.factorial(n))


def _subsets(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    n = rng.randint(3, 12)
    text = {
        "en": f"How many subsets does a set with {n} elements have (including the empty set)?",
        "fr": f"Combien de sous-ensembles a un ensemble de {n} éléments (ensemble vide compris) ?",
        "es": f"¿Cuántos subconjuntos tiene un conjunto de {n} elementos (incluido el vacío)?",
        "de": f"Wie viele Teilmengen hat eine Menge mit {n} Elementen (einschließlich der leeren Menge)?",
    }[lang]
    return text, Fraction(2**n)


def _handshakes(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    n = rng.randint(5, 30)
    text = {
        "en": f"At a party, each of {n} guests shakes hands once with every other guest. How many handshakes "
        "are there?",
        "fr": f"À une fête, chacun des {n} invités serre la main une fois à chaque autre invité. Combien de poignées "
        "de main y a-t-il ?",
        "es": f"En una fiesta, cada uno de los {n} invitados da la mano una vez a cada otro invitado. ¿Cuántos "
        "apretones de manos hay?",
        "de": f"Auf einer Feier gibt jeder der {n} Gäste jedem anderen Gast einmal die Hand. Wie viele Händedrücke "
        "gibt es?",
    }[lang]
    return text, Fraction(n * (n - 1) // 2)


def _dice_sum(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    total = rng.randint(2, 12)
    ways = sum(1 for a in range(1, 7) for b in range(1, 7) if a + b == total)
    text = {
        "en": f"Two fair six-sided dice are rolled. What is the probability that their sum is {total}?",
        "fr": f"On lance deux dés équilibrés à six faces. Quelle est la probabilité que la somme soit {total} ?",
        "es": f"Se lanzan dos dados justos de seis caras. ¿Cuál es la probabilidad de que la suma sea {total}?",
        "de": f"Zwei faire sechsseitige Würfel werden geworfen. Wie groß ist die Wahrscheinlichkeit, dass die "
        f"Summe {total} ist?",
    }[lang]
    return f"{text} {FRACTION_HINT[lang]}", Fraction(ways, 36)


def _coin_heads(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    n = rng.randint(3, 8)
    k = rng.randint(0, n)
    text = {
        "en": f"A fair coin is tossed {n} times. What is the probability of getting exactly {k} heads?",
        "fr": f"On lance une pièce équilibrée {n} fois. Quelle est la probabilité d'obtenir exactement {k} fois pile ?",
        "es": f"Se lanza una moneda justa {n} veces. ¿Cuál es la probabilidad de obtener exactamente {k} caras?",
        "de": f"Eine faire Münze wird {n}-mal geworfen. Wie groß ist die Wahrscheinlichkeit für genau {k}-mal Kopf?",
    }[lang]
    return f"{text} {FRACTION_HINT[lang]}", Fraction(math.comb(n, k), 2**n)


def _urn(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    red, blue = rng.randint(2, 8), rng.randint(2, 8)
    text = {
        "en": f"A bag holds {red} red and {blue} blue balls. Two are drawn without replacement. What is the "
        "probability that both are red?",
        "fr": f"Un sac contient {red} boules rouges et {blue} boules bleues. On en tire deux sans remise. Quelle "
        "est la probabilité que les deux soient rouges ?",
        "es": f"Una bolsa tiene {red} bolas rojas y {blue} azules. Se sacan dos sin reemplazo. ¿Cuál es la "
        "probabilidad de que ambas sean rojas?",
        "de": f"Ein Beutel enthält {red} rote und {blue} blaue Kugeln. Zwei werden ohne Zurücklegen gezogen. Wie "
        "groß ist die Wahrscheinlichkeit, dass beide rot sind?",
    }[lang]
    return f"{text} {FRACTION_HINT[lang]}", Fraction(red, red + blue) * Fraction(red - 1, red + blue - 1)


def _travel(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    speed, hours = rng.randint(40, 120), rng.randint(2, 9)
    text = {
        "en": f"A train travels at {speed} km/h for {hours} hours. How many kilometres does it cover?",
        "fr": f"Un train roule à {speed} km/h pendant {hours} heures. Quelle distance parcourt-il en kilomètres ?",
        "es": f"Un tren viaja a {speed} km/h durante {hours} horas. ¿Cuántos kilómetros recorre?",
        "de": f"Ein Zug fährt {hours} Stunden lang mit {speed} km/h. Wie viele Kilometer legt er zurück?",
    }[lang]
    return text, Fraction(speed * hours)


def _shopping(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    count, price = rng.randint(2, 9), rng.randint(3, 25)
    paid = (count * price // 50 + 1) * 50
    text = {
        "en": f"Sam buys {count} notebooks at {price} dollars each and pays with {paid} dollars. How much change "
        "does Sam get?",
        "fr": f"Sam achète {count} cahiers à {price} euros pièce et paie avec {paid} euros. Combien Sam reçoit-il "
        "de monnaie ?",
        "es": f"Sam compra {count} cuadernos a {price} euros cada uno y paga con {paid} euros. ¿Cuánto cambio recibe?",
        "de": f"Sam kauft {count} Hefte zu je {price} Euro und zahlt mit {paid} Euro. Wie viel Wechselgeld "
        "bekommt Sam?",
    }[lang]
    return text, Fraction(paid - count * price)


def _rectangle(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    width, length = rng.randint(3, 40), rng.randint(3, 40)
    text = {
        "en": f"A rectangle is {width} m wide and {length} m long. What is its area in square metres?",
        "fr": f"Un rectangle mesure {width} m de large et {length} m de long. Quelle est son aire en mètres carrés ?",
        "es": f"Un rectángulo mide {width} m de ancho y {length} m de largo. ¿Cuál es su área en metros cuadrados?",
        "de": f"Ein Rechteck ist {width} m breit und {length} m lang. Wie groß ist seine Fläche in Quadratmetern?",
    }[lang]
    return text, Fraction(width * length)


def _ages(rng: random.Random, lang: str) -> tuple[str, Fraction]:
    child, gap, years = rng.randint(3, 15), rng.randint(20, 40), rng.randint(2, 10)
    text = {
        "en": f"Ana is {child} years old and her mother is {gap} years older. What will the sum of their ages "
        f"be in {years} years?",
        "fr": f"Ana a {child} ans et sa mère a {gap} ans de plus. Quelle sera la somme de leurs âges dans "
        f"{years} ans ?",
        "es": f"Ana tiene {child} años y su madre tiene {gap} años más. ¿Cuál será la suma de sus edades dentro "
        f"de {years} años?",
        "de": f"Ana ist {child} Jahre alt und ihre Mutter {gap} Jahre älter. Wie groß ist die Summe ihrer Alter "
        f"in {years} Jahren?",
    }[lang]
    return text, Fraction(2 * child + gap + 2 * years)


KINDS: dict[str, list[Maker]] = {
    "arithmetic": [_product, _order_of_operations, _fraction_sum],
    "counting": [_choose, _arrangements, _subsets, _handshakes],
    "probability": [_dice_sum, _coin_heads, _urn],
    "word": [_travel, _shopping, _rectangle, _ages],
}


def generate(count: int = 200, seed: int = 0) -> list[Problem]:
    """`count` problems, a quarter of each kind; about one in four in French, Spanish or German."""
    rng = random.Random(seed)
    kinds = list(KINDS)
    problems: list[Problem] = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        make = rng.choice(KINDS[kind])
        language = "en" if rng.random() < 0.75 else rng.choice(["fr", "es", "de"])
        question, answer = make(rng, language)
        problems.append({"id": index, "kind": kind, "language": language, "question": question, "answer": answer})
    return problems
