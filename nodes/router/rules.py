"""Deterministic routing: weighted signals from the request's words and structure.

Each signal adds evidence for `math` or `general`; the margin between the two
becomes the confidence. The graph asks the router model only when the margin is
thin, so most requests are routed in microseconds without a model call.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from coding_director.core.team import Category, Complexity


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    category: Category
    weight: float
    pattern: re.Pattern[str]


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


def _signal(name: str, category: Category, weight: float, regex: str) -> Signal:
    return Signal(name, category, weight, re.compile(regex, re.IGNORECASE))


SIGNALS: tuple[Signal, ...] = (
    # --- quantitative -------------------------------------------------------------
    _signal(
        "proof",
        "math",
        3.0,
        _words(
            "prove",
            "proof",
            "show that",
            "demonstrate that",
            "by induction",
            "theorem",
            "lemma",
            "disprove",
            "counterexample",
        ),
    ),
    _signal(
        "complexity analysis",
        "math",
        3.0,
        _words(
            r"big[- ]?o",
            r"big[- ]?theta",
            "time complexity",
            "space complexity",
            "running time",
            "asymptotic",
            "recurrence",
            "master theorem",
            "amortized",
            r"o\([^)]*n[^)]*\)",
        ),
    ),
    _signal(
        "calculus",
        "math",
        2.5,
        _words(
            "derivative",
            "differentiate",
            "integral",
            "integrate",
            "antiderivative",
            "limit of",
            "taylor series",
            "maclaurin",
            "partial derivative",
            "gradient of",
            "differential equation",
        ),
    ),
    _signal(
        "probability & statistics",
        "math",
        2.0,
        _words(
            "probability",
            "probabilities",
            "expected value",
            "expectation",
            "variance",
            "standard deviation",
            "median",
            "interquartile",
            "percentile",
            "correlation",
            "covariance",
            "regression coefficient",
            "p-value",
            "hypothesis test",
            "confidence interval",
            "binomial",
            "poisson",
            "normal distribution",
            "sampling distribution",
            "central limit theorem",
            "bayes",
            "odds",
            "z-score",
            "chi-square",
            "t-test",
            "likelihood",
            "random variable",
            "dice",
            "die",
            "coin",
            "fair coin",
            "at least one",
            "standard error",
        ),
    ),
    _signal(
        "algebra & number theory",
        "math",
        2.0,
        _words(
            "solve for",
            "equation",
            "equations",
            "quadratic",
            "polynomial",
            "roots of",
            "factorize",
            "factorise",
            "simplify",
            "gcd",
            "lcm",
            "greatest common divisor",
            "least common multiple",
            "modulo",
            "mod",
            "prime factori[sz]ation",
            "logarithm",
            "log base",
            "inverse of the",
            "determinant",
            "eigenvalues?",
            "eigenvectors?",
            "matrix inverse",
            "inverse matrix",
            "dot product",
            "cross product",
            "vector space",
            "linear system",
            "system of equations",
            "combinatorics",
            "permutations",
            "combinations",
            "how many ways",
            "binomial coefficient",
            "choose",
            "factorial of",
            "arithmetic series",
            "geometric series",
            "sum of the series",
            "convergen(?:t|ce)",
            "compound interest",
            "interest rate",
            "doubles?",
            "half-life",
            "exponential growth",
        ),
    ),
    _signal(
        "number theory",
        "math",
        2.0,
        _words(
            "prime numbers?",
            "primes",
            r"is \d+ (?:a )?prime",
            "divisible",
            "divisors?",
            "remainder",
            "parity",
            "integer solutions",
            "perfect squares?",
            "coprime",
            "congruen(?:t|ce)",
            "trailing zeros",
            "digits? (?:of|in|does)",
        ),
    ),
    _signal(
        "numerical method",
        "math",
        2.0,
        _words(
            "newton's method",
            "newton-raphson",
            "bisection method",
            "approximate",
            "approximation",
            "decimal places",
            "numerically",
            "numerical (?:error|integration|method)",
            "square root of",
            "cube root",
            "trapezoidal rule",
            "simpson's rule",
            "euler's method",
            "lower bound",
            "upper bound",
            r"n log n",
            r"log n",
            "closed form",
        ),
    ),
    _signal(
        "quantities and units",
        "math",
        1.5,
        r"\d+(?:\.\d+)?\s*(?:%|percent\b)|\bconvert\s+-?\d|\bto (?:binary|hex(?:adecimal)?|octal|decimal)\b|"
        r"\b(?:degrees|kilomet(?:re|er)s?|miles|hours|minutes|seconds|dollars|euros)\b"
        r".*\b(?:how (?:long|much|many)|to)\b|"
        r"\b(?:discount|ratio|proportion|average speed|twice as|half as|per year|per hour)\b",
    ),
    _signal(
        "derivation",
        "math",
        1.5,
        _words("derive", "derivation", "justify", "prove it", "show why"),
    ),
    _signal(
        "quantitative ask",
        "math",
        1.5,
        r"^\s*(?:compute|calculate|evaluate|estimate|determine|derive|solve|how many|how much|how long)\b|"
        r"^\s*(?:what is|what's|find)\b(?=.*\d)",
    ),
    _signal(
        "word problem",
        "math",
        1.5,
        _words(
            "chance",
            "odds of",
            r"expected (?:number|length|value|time|count|cost)",
            "on average",
            r"possible (?:passwords|combinations|outcomes|arrangements|pins|codes)",
            "by what factor",
            "how many ways",
            "how many times",
            "constant speed",
            "speed of",
            "distance",
            "area of",
            "area",
            "volume",
            "perimeter",
            "radius",
            "diameter",
            "angles?",
            "how high",
            "how far",
            "rate of",
            "interest",
            r"depreciat\w*",
            "grows?",
            "tripled",
            "halved",
            "doubled",
            "per cent",
        ),
    ),
    _signal(
        "arithmetic expression",
        "math",
        2.0,
        r"(?<![\w.])\d+(?:\.\d+)?\s*(?:[-+*/×÷^%]|\*\*)\s*\(?\s*\d+(?:\.\d+)?(?![\w.])|"
        r"\b\d+\s*\^\s*\d+|\b[a-z]\^\d\b|\b\d*[a-z]\s*[-+]\s*\d+\s*=\s*\d",
    ),
    _signal(
        "math notation",
        "math",
        1.0,
        r"[∑∫√π∞≤≥≠±θλσμ]|\bsin\(|\bcos\(|\btan\(|\bln\(|\blog\(|\bsqrt\(|\bexp\(",
    ),
    # --- general coding -----------------------------------------------------------
    _signal(
        "code deliverable",
        "general",
        3.0,
        r"\b(?:write|implement|create|build|generate|code|make|add|give me|show me|port|"
        r"translate|convert|rewrite)\b[^.?!\n]{0,60}?\b(?:function|method|class|script|program|"
        r"module|snippet|code|api|endpoint|app|application|cli|component|query|regex|test|"
        r"tests|decorator|hook|form|page|server|client|dockerfile|makefile|workflow|"
        r"pipeline|config|file|comprehension|loop)s?\b",
    ),
    _signal(
        "code with a named tool",
        "general",
        3.0,
        r"\b(?:use|using|with|in|via)\s+(?:pandas|numpy|scipy|sklearn|scikit-learn|polars|sql|python|"
        r"javascript|typescript|java|rust|go|c\+\+|bash|excel|spark|pyspark|matplotlib|seaborn|"
        r"statsmodels|torch|pytorch|tensorflow|r)\b",
    ),
    _signal(
        "code work",
        "general",
        2.5,
        _words(
            "fix",
            "debug",
            "refactor",
            "review",
            "optimi[sz]e (?:this|my|the) code",
            "lint",
            "deploy",
            "configure",
            "install",
            "set up",
            "setup",
            "undo",
            "rename",
            "migrate",
            "upgrade",
            "compile",
            "bundle",
            "rebase",
            "merge",
            "commit",
            "suggest better names",
        ),
    ),
    _signal(
        "language or tool",
        "general",
        1.5,
        _words(
            "python",
            "javascript",
            "typescript",
            "java",
            "kotlin",
            "rust",
            "golang",
            "go",
            "c\\+\\+",
            "c#",
            "ruby",
            "php",
            "swift",
            "bash",
            "shell",
            "powershell",
            "sql",
            "html",
            "css",
            "react",
            "vue",
            "angular",
            "django",
            "flask",
            "fastapi",
            "express",
            "node",
            "node\\.js",
            "npm",
            "pip",
            "git",
            "github",
            "docker",
            "docker-compose",
            "kubernetes",
            "terraform",
            "ansible",
            "nginx",
            "postgres",
            "postgresql",
            "mysql",
            "sqlite",
            "redis",
            "mongodb",
            "graphql",
            "rest",
            "json",
            "yaml",
            "toml",
            "regex",
            "linux",
            "vim",
            "vscode",
            "pandas",
            "numpy",
            "requests",
            "pytest",
            "junit",
            "webpack",
            "vite",
            "cors",
            "oauth",
            "jwt",
            "http",
            "https",
            "api",
            "sdk",
            "cli",
            "makefile",
            "cmake",
            "gradle",
            "maven",
            "virtualenv",
            "virtual environment",
            "venv",
            "conda",
            "poetry",
            "asyncio",
            "async",
            "await",
            "thread",
            "threads",
        ),
    ),
    _signal(
        "programming vocabulary",
        "general",
        1.0,
        _words(
            "function",
            "functions",
            "method",
            "class",
            "object",
            "variable",
            "keyword",
            "loop",
            "list",
            "dict",
            "dictionary",
            "array",
            "string",
            "module",
            "package",
            "library",
            "framework",
            "import",
            "exception",
            "error",
            "bug",
            "crash",
            "stack",
            "syntax",
            "compiler",
            "runtime",
            "deprecated",
            "unit test",
            "test",
            "tests",
            "repository",
            "repo",
            "branch",
            "endpoint",
            "database",
            "schema",
            "query",
            "server",
            "client",
            "request",
            "response",
            "file",
            "folder",
            "directory",
            "script",
            "command",
            "terminal",
            "header",
            "headers",
            "component",
            "callback",
            "promise",
            "decorator",
            "generator",
            "yield",
            "iterator",
            "lambda",
            "closure",
            "inheritance",
            "interface",
            "null",
            "none",
            "undefined",
            "type hints?",
            "docstring",
        ),
    ),
    _signal(
        "code structure",
        "general",
        2.5,
        r"```|Traceback \(most recent call last\)|\b\w+(?:Error|Exception)\b:|"
        r"\b[\w/-]+\.(?:py|js|ts|tsx|jsx|java|go|rs|rb|php|cpp|c|h|cs|html|css|json|yml|yaml|"
        r"toml|sh|sql|md|ipynb|cfg|ini)\b|\bdef \w+\(|\bclass \w+[:(]|\bfunction \w+\(|"
        r"\bconsole\.log\b|\bimport \w+|\bfrom \w+ import\b|=>|\w+\.\w+\(\)",
    ),
)

#: How much to trust a request that still reads as math once code is asked for.
_ANALYSIS_OF_CODE = re.compile(
    _words(
        "time complexity",
        "space complexity",
        "running time",
        r"big[- ]?o",
        "prove",
        "proof",
        "how many times",
        r"number of (?:iterations|comparisons|operations|steps|swaps)",
    ),
    re.IGNORECASE,
)

_COMPLEX_HINTS = re.compile(
    _words(
        "system design",
        "architecture",
        "architect",
        "distributed",
        "microservices?",
        "scalab(?:le|ility)",
        "race condition",
        "deadlock",
        "thread[- ]safe",
        "concurrency",
        "concurrent",
        "multi-file",
        "across (?:the|several|multiple) (?:files|modules|services)",
        "refactor the (?:whole|entire) ",
        "design a",
        "end-to-end",
        "fault[- ]tolerant",
        "consensus",
        "sharding",
        "event sourcing",
    ),
    re.IGNORECASE,
)
_REQUIREMENT_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+\S", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    category: Category
    complexity: Complexity
    confidence: float
    reasons: list[str] = field(default_factory=list)


def _confidence(margin: float) -> float:
    """0.5 when the evidence is even, approaching 1 as one side dominates."""
    return round(0.5 + 0.5 * (1.0 - math.exp(-abs(margin) / 2.0)), 3)


def assess_complexity(text: str) -> Complexity:
    requirements = len(_REQUIREMENT_LINE.findall(text))
    if _COMPLEX_HINTS.search(text) or len(text) > 2500 or requirements >= 6:
        return "complex"
    if len(text) > 400 or requirements >= 3 or "```" in text:
        return "moderate"
    return "simple"


def apply_rules(text: str) -> RuleVerdict:
    scores: dict[Category, float] = {"math": 0.0, "general": 0.0}
    reasons: list[str] = []
    for signal in SIGNALS:
        if signal.pattern.search(text):
            scores[signal.category] += signal.weight
            reasons.append(f"{signal.category}: {signal.name}")
    asks_for_code = any(
        f"general: {name}" in reasons for name in ("code deliverable", "code work", "code with a named tool")
    )
    analysis = _ANALYSIS_OF_CODE.search(text)
    if asks_for_code and not analysis:
        # Code asked for about a quantity is still code ...
        scores["math"] *= 0.5
    elif analysis and not asks_for_code:
        # ... and code shown to be analysed (complexity, proof) is the object of a math question.
        scores["general"] *= 0.3
    margin = scores["math"] - scores["general"]
    category: Category = "math" if margin > 0 else "general"
    if not reasons:
        reasons.append("no signal: defaulting to general")
    return RuleVerdict(category, assess_complexity(text), _confidence(margin), reasons)
