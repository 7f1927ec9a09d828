# ruff: noqa: E501  (template data: one prompt pattern a line reads better than wrapped strings)
"""Writes the router's training set, nodes/router/data/routing_train.jsonl (deterministic, seed 17).

    python -m benchmarks.make_routing_train

Templates with slot fillers (English and ten other languages), prompts carrying code, logs and
stack traces, terse one-liners, the third round's fresh prompts (`routing_train_more.py`: 24
languages, boundary pairs, scenarios, inline code) and the fourth round's (`routing_train_fourth.py`:
software specs full of numbers, quantities asked in an engineer's words, pasted SQL/CSV/config, 32
languages besides English), the fifth round's free-written prompts (`data/routing_train_written.jsonl`:
requests written in full, not from templates, by writers who saw no router, code or held-out set),
plus the project's older, already-seen routing sets (dev, tune, held-out v1 and v2). The held-out
sets written for issue 17 (`HELD_OUT`: v3, the sealed v4–v11, follow-ups) never go in, nor does any
prompt worded like one of them (`without_held_out_wordings`); `tests/test_router_model.py` checks both.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from benchmarks import routing_train_fourth, routing_train_more
from coding_director.nodes.router.calibration import worded_alike, wording

ROOT = Path(__file__).resolve().parent
OUT = ROOT.parent / "nodes" / "router" / "data" / "routing_train.jsonl"
#: Prompts written in full (not from templates).
WRITTEN = ROOT / "data" / "routing_train_written.jsonl"
SEEN_SETS = [
    ROOT.parent.parent / "shared" / "data" / "routing_dev.jsonl",
    ROOT / "data" / "routing_tune.jsonl",
    ROOT / "data" / "routing_holdout.jsonl",
    ROOT / "data" / "routing_holdout_v2.jsonl",
]
#: Read only to keep their prompts out of the training set.
HELD_OUT = [
    "routing_holdout_v3.jsonl",
    "routing_holdout_v4_sealed.jsonl",
    "routing_holdout_v5_sealed.jsonl",
    "routing_holdout_v6_sealed.jsonl",
    "routing_holdout_v7_sealed.jsonl",
    "routing_holdout_v8_sealed.jsonl",
    "routing_holdout_v9_sealed.jsonl",
    "routing_holdout_v10_sealed.jsonl",
    "routing_holdout_v11_sealed.jsonl",
    "routing_holdout_v12_sealed.jsonl",
    "routing_followups.jsonl",
]
M, G = "math", "general"
rng = random.Random(17)

LANGS = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C#", "C++", "Ruby", "Kotlin", "PHP", "Swift"]
ALGOS = [
    "merge sort",
    "quicksort",
    "heap sort",
    "binary search",
    "Dijkstra's algorithm with a binary heap",
    "BFS on an adjacency list",
    "insertion sort",
    "counting sort",
    "the Floyd-Warshall algorithm",
    "union-find with path compression",
    "building a heap bottom-up",
    "Kruskal's algorithm",
    "the KMP string search",
    "matrix multiplication the schoolbook way",
    "Karatsuba multiplication",
    "a trie lookup",
    "radix sort",
    "topological sort",
    "the sieve of Eratosthenes",
    "bubble sort",
]
THINGS = [
    "a LRU cache",
    "a rate limiter",
    "a CSV parser",
    "a linked list",
    "a REST endpoint for orders",
    "a CLI that renames files",
    "a retry decorator",
    "a websocket chat server",
    "a priority queue",
    "a markdown to HTML converter",
    "a config loader",
    "a thread pool",
    "a URL shortener",
    "a JSON schema validator",
    "a binary search tree",
    "pagination for the users API",
    "a login form",
    "a debounce helper",
    "a cron-like scheduler",
    "a file watcher",
    "a trie",
    "an event emitter",
    "a bloom filter",
    "a consistent hashing ring",
    "a moving-average function",
    "a function that computes the variance of a list",
    "a function that checks if a number is prime",
    "a Fibonacci generator",
    "a matrix class with multiplication",
    "a dice-rolling simulator",
]
TOOLS = [
    "nginx",
    "Docker",
    "docker compose",
    "Kubernetes",
    "Terraform",
    "GitHub Actions",
    "PostgreSQL",
    "Redis",
    "Celery",
    "webpack",
    "Vite",
    "pytest",
    "ESLint",
    "systemd",
    "Ansible",
    "Helm",
    "MySQL",
    "Kafka",
    "RabbitMQ",
    "Prometheus",
    "Grafana",
    "Jenkins",
    "poetry",
    "conda",
    "tmux",
    "SSH",
]
NAMES = ["users", "orders", "payments", "invoices", "events", "sessions", "products", "logs"]


def pick(xs):
    return rng.choice(xs)


def nums(k, lo=1, hi=99):
    return ", ".join(str(rng.randint(lo, hi)) for _ in range(k))


rows: list[dict] = []


def add(category: str, prompt: str, kind: str, lang: str = "en") -> None:
    rows.append({"prompt": prompt, "category": category, "kind": kind, "lang": lang})


# ------------------------------------------------------------------ math, English
def math_en():
    n = rng.randint
    ts = [
        lambda: f"What is the time complexity of {pick(ALGOS)}? Explain.",
        lambda: f"Derive the worst-case running time of {pick(ALGOS)}.",
        lambda: f"What's the space complexity of {pick(ALGOS)}?",
        lambda: f"Is {pick(ALGOS)} O(n log n) in the average case? Justify it.",
        lambda: (
            f"How many comparisons does {pick(['merge sort', 'insertion sort', 'binary search', 'selection sort'])} make on {n(8, 2000)} elements in the worst case?"
        ),
        lambda: (
            f"Solve the recurrence T(n) = {n(2, 8)}T(n/{n(2, 4)}) + {pick(['n', 'n^2', '1', 'n log n', 'sqrt(n)'])}."
        ),
        lambda: f"How many times does the loop run for n = {n(10, 10**6)} if i doubles each iteration starting from 1?",
        lambda: f"What's the probability of getting at least {n(1, 3)} sixes in {n(4, 10)} rolls of a fair die?",
        lambda: f"I roll {n(2, 4)} dice. What's the chance the sum is {n(6, 14)}?",
        lambda: f"What's the probability that two of {n(20, 60)} people share a birthday?",
        lambda: (
            f"With {n(100, 5000)} random keys in a hash table of {n(100, 5000)} buckets, what's the expected number of collisions?"
        ),
        lambda: (
            f"If each request fails with probability {rng.choice(['0.1%', '0.5%', '1%', '2%'])} independently, what's the chance that at least one of {n(10, 500)} requests fails?"
        ),
        lambda: (
            f"Each server is up {rng.choice(['99%', '99.9%', '99.5%', '98%'])} of the time. What's the availability of {n(2, 6)} in series? And in parallel?"
        ),
        lambda: f"Compute the mean, median and standard deviation of {nums(n(6, 12))}.",
        lambda: f"What's the variance of {nums(n(5, 9))}?",
        lambda: (
            f"What is the {pick(['90th', '95th', '99th'])} percentile of these latencies: {nums(n(10, 16), 5, 400)} ms?"
        ),
        lambda: (
            f"Is a difference of {n(1, 9)}% in conversion between two groups of {n(500, 20000)} users statistically significant?"
        ),
        lambda: (
            f"Compute a 95% confidence interval for a mean of {n(20, 80)} with standard deviation {n(2, 15)} over {n(10, 200)} samples."
        ),
        lambda: f"Solve {n(2, 9)}x^2 - {n(1, 20)}x + {n(1, 9)} = 0.",
        lambda: f"Solve the system {n(1, 5)}x + {n(1, 5)}y = {n(5, 30)} and x - y = {n(1, 9)}.",
        lambda: (
            f"Find the derivative of {pick(['x^3 ln x', 'e^(2x) cos x', 'sin(x)/x', 'sqrt(1 + x^2)', 'x^x', 'ln(sin x)', 'arctan(3x)'])}."
        ),
        lambda: f"Integrate {pick(['x^2 e^x', '1/(x^2 + 4)', 'sin^2 x', 'x ln x', 'e^(-x) cos x', '1/(x(x+1))'])} dx.",
        lambda: (
            f"Evaluate the limit of {pick(['(1 + 1/n)^(2n)', 'sin(3x)/x as x → 0', '(x^2 - 1)/(x - 1) as x → 1', 'n^(1/n)', '(1 - cos x)/x^2 as x → 0'])}."
        ),
        lambda: (
            f"Prove that {pick(['the sum of the first n odd numbers is n^2', 'there are infinitely many primes', 'sqrt(2) is irrational', 'every integer > 1 has a prime factorisation', 'n^3 - n is divisible by 6', '2^n ≥ n + 1 for all n ≥ 0', 'a tree with n nodes has n - 1 edges'])}."
        ),
        lambda: (
            f"Show by induction that {pick(['1 + 2 + … + n = n(n+1)/2', '3^n > n^2 for n ≥ 2', 'the Fibonacci numbers satisfy F(n) < 2^n', 'a full binary tree with n leaves has 2n - 1 nodes'])}."
        ),
        lambda: f"What is gcd({n(100, 5000)}, {n(100, 5000)})?",
        lambda: f"What is {n(2, 13)}^{n(20, 300)} mod {pick([7, 11, 13, 17, 19, 97, 1000])}?",
        lambda: f"How many ways can {n(4, 12)} people be arranged in a row if two of them must sit together?",
        lambda: f"How many {n(4, 8)}-character passwords are there using lowercase letters and digits?",
        lambda: f"In how many ways can I choose a team of {n(2, 5)} from {n(6, 20)} engineers?",
        lambda: f"What is {n(11, 99)} * {n(11, 999)}?",
        lambda: f"What's {n(3, 40)}% of {n(100, 90000)}?",
        lambda: f"Convert {n(100, 100000)} to binary and to hex.",
        lambda: f"Find the eigenvalues of [[{n(1, 5)}, {n(0, 3)}], [{n(0, 3)}, {n(1, 5)}]].",
        lambda: (
            f"Compute the determinant of [[{n(0, 5)}, {n(0, 5)}, {n(0, 5)}], [{n(0, 5)}, {n(0, 5)}, {n(0, 5)}], [{n(0, 5)}, {n(0, 5)}, {n(0, 5)}]]."
        ),
        lambda: f"What's the sum of the series 1/{n(2, 5)}^k for k from 0 to infinity?",
        lambda: f"Use Newton's method to approximate the square root of {n(2, 99)} to 4 decimal places.",
        lambda: (
            f"What is the expected number of {pick(['rolls of a die until a 6', 'coin flips until 3 heads in a row', 'cards drawn until the first ace', 'random draws until every one of 10 coupons is seen'])}?"
        ),
        lambda: (
            f"A {pick(['bag', 'box', 'urn'])} holds {n(2, 8)} red and {n(2, 8)} green balls. Drawing {n(2, 3)} without replacement, what's the chance they're all red?"
        ),
        lambda: (
            f"What's the expected value and variance of a {pick(['binomial(20, 0.3)', 'Poisson(3)', 'geometric(0.25)', 'uniform(0, 10)', 'exponential(2)'])} random variable?"
        ),
        lambda: f"If X ~ N({n(40, 120)}, {n(3, 20)}^2), what's P(X > {n(50, 150)})?",
        lambda: f"Estimate the number of bits needed to represent {n(10, 99)} factorial.",
        lambda: f"How many trailing zeros does {n(30, 1000)}! have?",
        lambda: f"Is {n(1000, 99999)} prime? Show the check.",
        lambda: f"What's the lower bound on comparisons for sorting {n(4, 12)} elements?",
        lambda: (
            f"Prove that {pick(['Euclid’s algorithm', 'binary search', 'the insertion sort loop', 'this greedy interval scheduling'])} is correct, with a loop invariant."
        ),
        lambda: (
            f"What's the amortised cost of {pick(['push on a doubling array', 'increment on a binary counter', 'union-find with union by rank', 'a splay tree access'])}? Prove it with the potential method."
        ),
        lambda: (
            f"How many edges can a simple graph with {n(5, 40)} vertices have, and how many spanning trees does K_{n(3, 6)} have?"
        ),
    ]
    return pick(ts)()


def math_word():
    n = rng.randint
    ts = [
        lambda: (
            f"We have {n(4, 32)} shards and add {n(1, 16)} more with consistent hashing. About what share of keys moves?"
        ),
        lambda: (
            f"Our retry waits {n(50, 500)} ms and doubles each time, {n(3, 10)} retries at most. How long can a caller wait in total?"
        ),
        lambda: (
            f"A train leaves at {n(6, 11)}:00 at {n(50, 90)} km/h and a second one an hour later at {n(90, 140)} km/h. When does the second catch up?"
        ),
        lambda: (
            f"If {n(2, 6)} workers process a queue of {n(500, 10000)} jobs at {n(5, 50)} jobs a minute each, how long until it's empty?"
        ),
        lambda: f"Disk usage grows {n(1, 9)} GB a day and we have {n(50, 900)} GB left. How many days until it's full?",
        lambda: f"Our bill was ${n(200, 2000)} last month and grows {n(2, 15)}% a month. What is it in a year?",
        lambda: (
            f"I save {n(100, 2000)} a month at {n(2, 8)}% yearly interest compounded monthly. How much after {n(3, 30)} years?"
        ),
        lambda: (
            f"A pipe fills a tank in {n(2, 9)} hours, another empties it in {n(3, 12)}. Both open, how long to fill it?"
        ),
        lambda: f"{n(3, 9)} painters paint a house in {n(4, 12)} days. How long would {n(2, 12)} painters take?",
        lambda: (
            f"A car goes {n(100, 400)} km at {n(50, 120)} km/h and comes back at {n(40, 110)} km/h. What's the average speed?"
        ),
        lambda: f"A price goes up {n(5, 40)}% and then down {n(5, 40)}%. What's the net change?",
        lambda: (
            f"If users grow from {n(1, 50)}k to {n(60, 500)}k in {n(6, 36)} months at a steady rate, what's the monthly growth?"
        ),
        lambda: (
            f"We get {n(10, 100)} requests a second and each takes {n(20, 500)} ms. How many requests are in flight on average?"
        ),
        lambda: (
            f"A batch job takes {n(10, 90)} minutes on one machine. With {n(2, 16)} machines and {n(1, 5)} minutes of setup each, how long?"
        ),
        lambda: (
            f"Backups are {n(10, 200)} GB and we keep {n(7, 30)} daily plus {n(4, 12)} weekly ones. How much storage?"
        ),
        lambda: f"A ladder {n(4, 12)} m long reaches {n(2, 10)} m up a wall. How far is its foot from the wall?",
        lambda: f"If a cache of {n(1, 64)} GB holds entries of {n(1, 20)} KB, how many entries fit?",
        lambda: (
            f"Two runners start together on a {n(200, 800)} m track at {n(3, 6)} and {n(5, 9)} m/s. When does the faster lap the slower?"
        ),
        lambda: (
            f"Every {n(5, 30)} minutes a cron job starts and runs {n(1, 10)} minutes; another every {n(7, 45)} minutes. How often do they run at the same time?"
        ),
        lambda: f"A loan of {n(5, 50)}000 at {n(3, 9)}% over {n(2, 10)} years: what's the monthly payment?",
    ]
    return pick(ts)()


def stats_ml_math():
    n = rng.randint
    ts = [
        lambda: (
            f"A classifier has precision {rng.choice([0.6, 0.7, 0.75, 0.8, 0.9])} and recall {rng.choice([0.5, 0.6, 0.7, 0.85])}. What's the F1?"
        ),
        lambda: (
            f"Derive the gradient of {pick(['the mean squared error', 'the logistic loss', 'softmax cross-entropy', 'the hinge loss', 'L2-regularised least squares'])} with respect to the weights."
        ),
        lambda: (
            f"Why is {pick(['the MLE of the variance biased', 'the sample mean unbiased', 'the OLS estimator BLUE', 'cross-entropy convex in the logits'])}? Show it."
        ),
        lambda: f"How many parameters does a dense layer from {n(64, 4096)} to {n(10, 4096)} units have?",
        lambda: (
            f"With a prior Beta({n(1, 5)}, {n(1, 5)}) and {n(1, 20)} successes in {n(20, 40)} trials, what is the posterior?"
        ),
        lambda: (
            f"What sample size do I need to detect a {rng.choice([1, 2, 5])}% lift on a {n(2, 20)}% baseline with 80% power?"
        ),
        lambda: f"Compute the AUC for scores {nums(6, 1, 9)} with labels 1, 0, 1, 1, 0, 0.",
        lambda: f"What's the KL divergence between Bernoulli(0.{n(1, 9)}) and Bernoulli(0.{n(1, 9)})?",
        lambda: (
            "Derive the update rule of gradient descent for linear regression and the condition on the learning rate for convergence."
        ),
        lambda: f"Is a correlation of 0.{n(1, 6)} over {n(10, 200)} points significant at 5%?",
        lambda: f"What is the expected number of distinct items in a bootstrap sample of size {n(10, 1000)}?",
        lambda: "Show that PCA's first component maximises the variance of the projection.",
        lambda: "Compute the entropy of a distribution with probabilities 0.5, 0.25, 0.125, 0.125.",
        lambda: "Why does the softmax not change when you add a constant to every logit? Prove it.",
        lambda: f"What's the variance of the mean of {n(10, 100)} i.i.d. samples with variance {n(1, 25)}?",
    ]
    return pick(ts)()


LOOPS = [
    ("python", "for i in range(n):\n    for j in range(i):\n        total += a[i] * a[j]"),
    ("python", "i = n\nwhile i > 1:\n    i //= 2\n    steps += 1"),
    ("python", "for i in range(n):\n    j = 1\n    while j < n:\n        j *= 2\n        ops += 1"),
    ("python", "def f(n):\n    if n <= 1:\n        return 1\n    return f(n - 1) + f(n - 2)"),
    ("python", "def g(n):\n    if n == 0:\n        return 0\n    return g(n // 2) + 1"),
    (
        "c",
        "for (int i = 0; i < n; i++)\n    for (int j = i; j < n; j++)\n        for (int k = j; k < n; k++)\n            sum++;",
    ),
    ("java", "int count = 0;\nfor (int i = 1; i < n; i *= 3)\n    for (int j = 0; j < i; j++)\n        count++;"),
    ("js", "let c = 0;\nfor (let i = 0; i * i < n; i++) {\n  c += i;\n}"),
    ("go", "for i := 0; i < n; i++ {\n\tfor j := n; j > 0; j /= 2 {\n\t\tc++\n\t}\n}"),
    ("python", "seen = set()\nwhile len(seen) < n:\n    seen.add(random.randrange(n))\n    draws += 1"),
    (
        "python",
        "def h(a, lo, hi):\n    if hi - lo < 2:\n        return\n    mid = (lo + hi) // 2\n    h(a, lo, mid)\n    h(a, mid, hi)\n    merge(a, lo, mid, hi)",
    ),
    ("rust", "let mut x = n;\nlet mut steps = 0;\nwhile x != 0 {\n    x &= x - 1;\n    steps += 1;\n}"),
]
MATH_CODE_ASKS = [
    "How many times does the innermost statement run, as a function of n?",
    "What's the time complexity of this? Justify it.",
    "What's the exact number of iterations for n = 1024?",
    "What is the expected number of iterations?",
    "Give a tight big-O bound and prove it.",
    "Count the operations for n = 100 and give the closed form.",
    "Write the recurrence for this and solve it.",
    "Does this terminate for every n? Prove it.",
    "What's the worst case, and on what input?",
    "how many steps for n = 10^6, roughly?",
]
GENERAL_CODE_ASKS = [
    "Can you rewrite this to be more readable?",
    "Add type hints and a docstring.",
    "Convert this to {lang}.",
    "Why does this throw an IndexError sometimes?",
    "Write unit tests for this.",
    "Is there a bug here? It gives wrong results on empty input.",
    "Make this faster, it's the hot path.",
    "Explain what this code does line by line.",
    "Rename the variables to something meaningful.",
    "This fails the linter, fix it.",
    "Port this to {lang} and keep the same behaviour.",
    "Can you parallelise this with a thread pool?",
]
SNIPPETS = [
    "def load(path):\n    with open(path) as f:\n        return [line.split(',') for line in f]\n\nrows = load('data.csv')\nprint(rows[0][3])",
    "async function getUser(id) {\n  const res = await fetch(`/api/users/${id}`);\n  const data = res.json();\n  return data.name;\n}",
    "class Cache:\n    def __init__(self):\n        self.items = {}\n\n    def get(self, key):\n        return self.items[key]\n\n    def put(self, key, value):\n        self.items[key] = value",
    "func sum(xs []int) int {\n\ttotal := 0\n\tfor i := 0; i <= len(xs); i++ {\n\t\ttotal += xs[i]\n\t}\n\treturn total\n}",
    'public String join(List<String> parts) {\n    String out = "";\n    for (String p : parts) {\n        out += p + ",";\n    }\n    return out;\n}',
    "SELECT u.id, u.name, COUNT(o.id)\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE o.created_at > NOW() - INTERVAL '30 days'\nGROUP BY u.id;",
    "def variance(xs):\n    m = sum(xs) / len(xs)\n    return sum((x - m) ** 2 for x in xs) / len(xs)",
    "for f in *.csv; do\n  python process.py $f > out/$f\ndone",
    "def is_prime(n):\n    for i in range(2, n):\n        if n % i == 0:\n            return False\n    return True",
    "const total = items.reduce((acc, it) => acc + it.price * it.qty);\nconsole.log(total.toFixed(2));",
    'fn main() {\n    let v = vec![1, 2, 3];\n    let r = &v;\n    let w = v;\n    println!("{:?}", r);\n}',
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\nprint([fib(i) for i in range(40)])",
]


def code_block(lang: str, body: str) -> str:
    return f"```{lang}\n{body}\n```"


def math_code():
    lang, body = pick(LOOPS)
    ask = pick(MATH_CODE_ASKS)
    return f"{ask}\n\n{code_block(lang, body)}" if rng.random() < 0.6 else f"{code_block(lang, body)}\n{ask}"


def general_code():
    body = pick(SNIPPETS)
    ask = pick(GENERAL_CODE_ASKS).format(lang=pick(LANGS))
    return f"{ask}\n\n{code_block('', body)}" if rng.random() < 0.6 else f"{code_block('', body)}\n\n{ask}"


TRACES = [
    'Traceback (most recent call last):\n  File "app/main.py", line {l}, in <module>\n    run()\n  File "app/main.py", line {l2}, in run\n    cfg = json.loads(text)\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
    "Traceback (most recent call last):\n  File \"/srv/api/views.py\", line {l}, in get\n    return user.profile.avatar.url\nAttributeError: 'NoneType' object has no attribute 'avatar'",
    "TypeError: Cannot read properties of undefined (reading 'map')\n    at ProductList (ProductList.jsx:{l}:23)\n    at renderWithHooks (react-dom.development.js:16305:18)",
    "panic: runtime error: index out of range [{l}] with length {l2}\n\ngoroutine 1 [running]:\nmain.parse(...)\n\t/app/parse.go:{l}\nmain.main()\n\t/app/main.go:{l2} +0x1d",
    'Exception in thread "main" java.util.ConcurrentModificationException\n\tat java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1013)\n\tat com.shop.Cart.removeExpired(Cart.java:{l})',
    "error: failed to push some refs to 'github.com:acme/api.git'\nhint: Updates were rejected because the tip of your current branch is behind",
    "ERROR 1045 (28000): Access denied for user 'app'@'172.18.0.{l}' (using password: YES)",
    "{ts} ERROR [worker-{l}] redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.\n{ts} WARN  retrying in 5s",
    "FAILED tests/test_api.py::test_create_order - assert 500 == 201\n  E   sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: orders",
    '{ts} [error] {l}#0: *{l2} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.{l}, server: api.local, request: "GET /health HTTP/1.1", upstream: "http://127.0.0.1:8000/health"',
    "Killed\n$ dmesg | tail -2\n[{l2}.{l}] Out of memory: Killed process {l2} (python) total-vm:8123456kB, anon-rss:7800000kB",
    "E0308: mismatched types\n  --> src/lib.rs:{l}:9\n   |\n{l} |     Ok(count)\n   |        ^^^^^ expected `u64`, found `usize`",
]
TRACE_ASKS = [
    "what does this mean?",
    "how do I fix this?",
    "getting this in prod since yesterday's deploy",
    "any idea?",
    "this only happens on CI",
    "started after upgrading dependencies",
    "help",
    "why does this happen only sometimes?",
    "we get this under load",
]
LOG_TABLES_MATH = [
    (
        "latencies (ms) from the last run:\n{v}\n",
        [
            "what's the mean and p95?",
            "what's the standard deviation?",
            "is the median a better summary than the mean here? compute both",
            "how many are more than 2 standard deviations out?",
        ],
    ),
    (
        "daily signups:\nmon {a}\ntue {b}\nwed {c}\nthu {d}\nfri {e}\n",
        [
            "fit a linear trend and project next friday",
            "what's the average daily growth rate?",
            "is friday an outlier?",
        ],
    ),
    (
        "errors per hour: {v}\n",
        [
            "if errors are Poisson, how unusual is the biggest hour?",
            "what's the probability of more than 10 in an hour at this rate?",
            "mean and variance please",
        ],
    ),
]


def general_trace():
    t = pick(TRACES).format(
        l=rng.randint(2, 300),
        l2=rng.randint(2, 900),
        ts=f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:1{rng.randint(0, 9)}:0{rng.randint(0, 9)}",
    )
    ask = pick(TRACE_ASKS)
    return f"{t}\n\n{ask}" if rng.random() < 0.5 else f"{ask}\n\n{t}"


def math_log():
    table, asks = pick(LOG_TABLES_MATH)
    vals = " ".join(str(rng.randint(5, 400)) for _ in range(rng.randint(8, 20)))
    t = table.format(
        v=vals,
        a=rng.randint(100, 200),
        b=rng.randint(100, 220),
        c=rng.randint(110, 230),
        d=rng.randint(120, 240),
        e=rng.randint(90, 300),
    )
    return f"{t}\n{pick(asks)}"


# ------------------------------------------------------------------ general, English
def general_en():
    ts = [
        lambda: f"Write {pick(THINGS)} in {pick(LANGS)}.",
        lambda: f"Implement {pick(THINGS)} in {pick(LANGS)} with tests.",
        lambda: f"Can you show me how to build {pick(THINGS)} using {pick(LANGS)}?",
        lambda: (
            f"How do I configure {pick(TOOLS)} for a {pick(['Django', 'Rails', 'Node', 'Spring Boot', 'Laravel', 'FastAPI'])} app?"
        ),
        lambda: f"{pick(TOOLS)} keeps failing to start after the upgrade, where are the logs?",
        lambda: (
            f"Explain {pick(['closures', 'generators', 'the GIL', 'promises', 'ownership and borrowing', 'dependency injection', 'the event loop', 'virtual DOM diffing', 'goroutines', 'async/await', 'monads in practice', 'CORS', 'database indexes', 'optimistic locking'])} with an example in {pick(LANGS)}."
        ),
        lambda: (
            f"What's the difference between {pick(['a list and a tuple', 'let and var', 'an interface and an abstract class', 'REST and gRPC', 'a process and a thread', 'merge and rebase', 'TCP and UDP', 'SQL joins and subqueries', 'Docker volumes and bind mounts'])}?"
        ),
        lambda: (
            f"Review my {pick(['Dockerfile', 'GitHub Actions workflow', 'Kubernetes deployment', 'nginx config', 'SQL schema', 'API design'])} for security problems."
        ),
        lambda: (
            f"How do I {pick(['undo a git commit that was pushed', 'squash the last 3 commits', 'rename a branch locally and remotely', 'cherry-pick a commit from another branch'])}?"
        ),
        lambda: (
            f"My {pick(['React', 'Vue', 'Angular', 'Svelte'])} app is slow when the list has {rng.randint(1, 50)}k items. How do I fix it?"
        ),
        lambda: f"Refactor the {pick(NAMES)} service so the database access is behind a repository class.",
        lambda: (
            f"Add pagination to the /{pick(NAMES)} endpoint in {pick(['Express', 'FastAPI', 'Flask', 'Spring', 'Gin'])}."
        ),
        lambda: (
            f"Write a SQL query that returns the top {rng.randint(3, 20)} {pick(NAMES)} by {pick(['count', 'revenue', 'date', 'size'])} per month."
        ),
        lambda: f"Set up {pick(TOOLS)} with {pick(TOOLS)} on a single VPS.",
        lambda: f"Why is my {pick(LANGS)} program using {rng.randint(2, 16)} GB of memory?",
        lambda: f"The build takes {rng.randint(5, 40)} minutes in CI. How can I cache dependencies?",
        lambda: f"How should I structure a {pick(LANGS)} project with {rng.randint(5, 50)} modules?",
        lambda: (
            f"Migrate our {pick(['Python 2', 'AngularJS', 'jQuery', 'Java 8', 'webpack 4', 'Django 2'])} code to {pick(['Python 3', 'React', 'vanilla JS', 'Java 21', 'Vite', 'Django 5'])}: where do I start?"
        ),
        lambda: (
            f"Generate a regex that matches {pick(['email addresses', 'IPv4 addresses', 'UK postcodes', 'semver strings', 'hex colours', 'ISO dates'])}."
        ),
        lambda: (
            f"Use pandas to {pick(['compute the mean per group', 'pivot sales by month', 'merge two CSVs on id', 'drop duplicate rows', 'compute a rolling standard deviation', 'count values per category'])}."
        ),
        lambda: (
            f"Write a numpy function that {pick(['normalises each row', 'computes pairwise distances', 'computes the variance along an axis', 'finds the k largest values', 'does a moving average'])}."
        ),
        lambda: (
            f"Write a function that {pick(['computes the median of a list', 'rolls two dice and returns the sum', 'returns the nth Fibonacci number', 'checks whether a year is a leap year', 'computes compound interest', 'converts Celsius to Fahrenheit', 'returns all primes below n', 'computes the gcd of two numbers'])} in {pick(LANGS)}."
        ),
        lambda: (
            f"Train a {pick(['logistic regression', 'random forest', 'small CNN', 'BERT classifier', 'XGBoost model'])} on my CSV with {pick(['scikit-learn', 'PyTorch', 'Keras', 'Hugging Face'])} and save it."
        ),
        lambda: (
            f"How do I plot a {pick(['histogram', 'scatter plot with a regression line', 'confusion matrix', 'ROC curve', 'box plot per group'])} in {pick(['matplotlib', 'seaborn', 'plotly', 'ggplot2'])}?"
        ),
        lambda: (
            f"My {pick(['PyTorch', 'TensorFlow', 'JAX'])} training {pick(['runs out of GPU memory', 'loss is NaN', 'is slower than expected', 'does not use the GPU'])}; what should I check?"
        ),
        lambda: (
            f"How do I deploy a {pick(['FastAPI', 'Flask', 'Next.js', 'Go', 'Spring Boot'])} app to {pick(['AWS Lambda', 'Fly.io', 'a VPS', 'Kubernetes', 'Cloud Run', 'Heroku'])}?"
        ),
        lambda: (
            f"Our API returns {pick(['500', '502', '504', '403', '401', '429'])} intermittently behind {pick(['nginx', 'an ALB', 'Cloudflare', 'Traefik'])}. How do I debug it?"
        ),
        lambda: (
            f"Write a {pick(['bash', 'PowerShell', 'Python'])} script that {pick(['backs up a folder every night', 'renames files by date', 'finds large files', 'checks that a port is open', 'rotates logs'])}."
        ),
        lambda: f"How do I store money amounts so 0.1 + 0.2 doesn't give 0.30000000000000004 in {pick(LANGS)}?",
        lambda: (
            f"Set a timeout of {rng.randint(5, 120)} seconds on requests in {pick(['axios', 'requests', 'httpx', 'the Go http client', 'OkHttp'])}."
        ),
        lambda: (
            f"The service listens on port {rng.choice([3000, 8000, 8080, 5432, 6379])} but I can't reach it from another container. Why?"
        ),
        lambda: (
            f"How do I limit a {pick(['Celery', 'Sidekiq', 'BullMQ', 'RQ'])} queue to {rng.randint(2, 50)} jobs per second?"
        ),
        lambda: (
            f"Design a schema for {pick(['a blog with comments and tags', 'a multi-tenant SaaS', 'an inventory system', 'a chat app', 'a booking system'])}."
        ),
        lambda: (
            f"Which is better for {pick(['a job queue', 'caching sessions', 'full-text search', 'time series'])}: {pick(['Redis', 'Postgres', 'Elasticsearch', 'MongoDB'])} or {pick(['Kafka', 'SQLite', 'ClickHouse', 'DynamoDB'])}?"
        ),
    ]
    return pick(ts)()


def general_compute_with_tools():
    """Quantities asked of code or a library: still code work."""
    ts = [
        lambda: (
            f"Simulate {pick(['rolling dice', 'a random walk', 'coin flips', 'the birthday problem', 'a queue with random arrivals', 'card shuffles'])} in {pick(LANGS)} and print {pick(['the average', 'a histogram', 'the estimated probability', 'the results'])} over {rng.randint(1, 100)}k runs."
        ),
        lambda: (
            f"Compute {pick(['precision and recall', 'the confusion matrix', 'RMSE', 'a correlation matrix', 'percentiles', 'the mean per group', 'a t-test'])} with {pick(['scikit-learn', 'pandas', 'numpy', 'scipy', 'statsmodels', 'SQL', 'R'])} and {pick(['print it', 'save it to CSV', 'plot it', 'return a dict', 'show it in a table'])}."
        ),
        lambda: (
            f"Calculate {pick(['the totals', 'the averages', 'tax', 'the running sum', 'the percentage change'])} in {pick(['an Excel formula', 'a SQL view', 'a pandas column', 'a Django model property', 'a TypeScript helper'])}."
        ),
        lambda: (
            f"How do I get the {pick(['standard deviation', 'median', '95th percentile', 'moving average', 'variance'])} of a column in {pick(['pandas', 'PostgreSQL', 'BigQuery', 'polars', 'Spark'])}?"
        ),
        lambda: (
            f"Benchmark {pick(['these two functions', 'list vs deque appends', 'JSON parsers', 'our sorting code'])} in {pick(LANGS)} and report the timings."
        ),
    ]
    return pick(ts)()


def terse_error():
    return pick(
        [
            "nginx 502 bad gateway",
            "413 request entity too large",
            "docker exec format error",
            "ssl certificate verify failed",
            "ENOSPC no space left on device",
            "OOMKilled exit code 137",
            "git detached HEAD",
            "too many open files",
            "psql role does not exist",
            "ImportError circular import",
            "address already in use 8080",
            "CrashLoopBackOff",
            "401 unauthorized fetch",
            "UnicodeDecodeError utf-8",
            "segfault core dumped",
            "maven dependency convergence",
            "webpack module not found",
            "x509 certificate signed by unknown authority",
            "zsh command not found pip",
            "Permission denied (publickey)",
            "mysql too many connections",
            "redis OOM command not allowed",
        ]
    )


#: Requests that carry no evidence either way. Each goes into the training set twice, once per
#: category, so its words pull toward 0.5 and the router model (with the conversation) decides.
VAGUE = [
    "Tell me about this thing.",
    "Help me with this.",
    "What do you think?",
    "Is this right?",
    "Go on.",
    "Can you look at this again?",
    "what about the other one",
    "and the second one?",
    "hmm, not sure",
    "Can you explain that differently?",
    "ok, and then?",
    "Why?",
    "Say more.",
    "Is there a better way?",
    "what's wrong here",
    "does that make sense",
    "Can you check it?",
    "same for the next one",
    "continue",
    "I don't get the last part",
    "Is that the final answer?",
    "Please double-check.",
    "what if it's bigger?",
    "and now?",
    "Try again.",
    "give me another example",
    "shorter please",
    "more detail on step 2",
    "what did I miss?",
    "Can you summarise that?",
    "Which one is better?",
    "compare the two",
    "thanks! one more",
    "and the other case?",
    "wait, why is that?",
    "can you simplify it",
    "what about edge cases?",
    "explain each step",
    "Look at the second part again.",
    "Is this correct?",
    "show me",
    "how so?",
    "I'm stuck",
    "do it again",
    "what's the catch?",
    "please review",
    "Can you help?",
    "question about the above",
    "next one",
    "hi",
]


VAGUE_OPENERS = [
    "Could you",
    "Can you",
    "Please",
    "Would you mind, could you",
    "Hey, can you",
    "I'd like you to",
    "Now",
    "So, can you",
    "OK,",
]
VAGUE_CORES = [
    "go over that once more",
    "check what I pasted earlier",
    "give me your opinion on it",
    "pick up where we left off",
    "take another pass at it",
    "look into the thing I mentioned",
    "tell me if that's fine",
    "help me understand the last bit",
    "have another go",
    "clarify your previous reply",
    "say which option you'd pick",
    "keep going with that",
    "elaborate on the second point",
    "be more specific",
    "sum up what we have so far",
    "tell me what I should do next",
    "rephrase that",
    "confirm it",
    "have a think about it",
    "reconsider your answer",
    "check my reasoning above",
]
VAGUE_CLOSERS = ["?", ".", " please.", " for me?", " again?", ""]


def vague_prompts(k: int) -> list[str]:
    return [f"{pick(VAGUE_OPENERS)} {pick(VAGUE_CORES)}{pick(VAGUE_CLOSERS)}" for _ in range(k)]


def terse_math():
    n = rng.randint
    return pick(
        [
            f"{n(5, 20)} choose {n(2, 5)}",
            f"{n(3, 12)}!",
            f"d/dx {pick(['x^3', 'sin 2x', 'e^x^2', 'ln x^2', 'tan x'])}",
            f"integral {pick(['x^2', 'cos x', '1/x', 'x e^x', 'sec^2 x'])} dx",
            f"{n(11, 99)}*{n(11, 99)}",
            f"gcd {n(10, 999)} {n(10, 999)}",
            f"{n(2, 9)}^{n(5, 20)}",
            f"P(two heads in {n(3, 8)} flips)",
            f"sqrt {n(2, 999)}",
            f"lcm({n(2, 60)}, {n(2, 60)})",
            f"mean {nums(5)}",
            f"var of {pick(['binomial(10, .5)', 'poisson(4)', 'uniform(0,1)'])}",
            f"sum k^2 k=1..{n(5, 100)}",
            f"log2 {pick([1024, 4096, 10**6, 10**9])}",
            f"{n(2, 50)}% of {n(50, 5000)}",
            f"{n(100, 9999)} in binary",
            "big-O of nested loops",
            "T(n)=2T(n/2)+n",
            "is 91 prime",
            "e^x taylor series",
            f"x^2 - {n(2, 9)}x + {n(1, 9)} = 0",
            "expected rolls to get a 6",
            "prob of full house",
        ]
    )


def terse_general():
    return pick(
        [
            "git stash pop conflict",
            "python list comprehension if else",
            "docker remove dangling images",
            "npm ci vs npm install",
            "postgres create index concurrently",
            "js deep copy object",
            "kubectl logs previous container",
            "rust string to int",
            "go read file line by line",
            "css grid two columns",
            "bash check if file exists",
            "python argparse subcommands",
            "vim replace all",
            "ssh key permissions too open",
            "pip install from git branch",
            "typescript optional chaining",
            "java stream group by",
            "sql left join vs inner join",
            "react useState array push",
            "django queryset distinct",
            "ffmpeg convert mp4 to gif",
            "redis ttl all keys",
            "nginx redirect http to https",
            "cron every 5 minutes",
            "pytest fixture scope",
            "tmux split window",
            "chmod 755 meaning",
            "cors preflight 405",
            "terraform state lock",
            "python datetime utc now",
            "async iterator js",
            "c# linq select many",
        ]
    )


# ------------------------------------------------------------------ other languages
FOREIGN = {
    "es": {
        M: [
            "¿Cuál es la complejidad temporal de {algo}?",
            "Demuestra que la suma de los primeros n números es n(n+1)/2.",
            "¿Cuál es la probabilidad de sacar al menos un seis en {k} tiradas de un dado?",
            "Resuelve la ecuación {a}x + {b} = {c}.",
            "Calcula la media y la varianza de {nums}.",
            "Calcula la derivada de x^{a} · ln x.",
            "¿Cuántas formas hay de ordenar {k} libros en un estante?",
            "¿Cuántas palabras distintas se forman con las letras de {word}?",
            "Un tren viaja a {a}0 km/h durante {b} horas. ¿Qué distancia recorre?",
            "Calcula la integral de x^{a} entre 0 y {b}.",
        ],
        G: [
            "Escribe una función en {lang} que invierta una cadena.",
            "¿Cómo configuro {tool} en mi servidor?",
            "Tengo este error al ejecutar mi app: {err}. ¿Cómo lo arreglo?",
            "Explícame qué es un closure en {lang}.",
            "¿Cómo hago una consulta SQL que agrupe {name} por mes?",
            "Crea un endpoint REST en {lang} para {name}.",
            "¿Por qué mi contenedor de Docker no arranca?",
        ],
    },
    "fr": {
        M: [
            "Quelle est la complexité en temps de {algo} ?",
            "Montrez par récurrence que {a}^n ≥ n + 1 pour tout n.",
            "Quelle est la probabilité d'obtenir {k} piles en lançant {c} pièces ?",
            "Résoudre {a}x² - {b}x + 1 = 0.",
            "Calculer l'espérance et la variance d'une loi binomiale B({c}, 0,3).",
            "Calculez la dérivée de e^{a}x · sin x.",
            "Combien d'anagrammes du mot {word} ?",
            "Combien y a-t-il de façons de choisir {k} personnes parmi {c} ?",
            "Calculer la moyenne et l'écart-type de {nums}.",
        ],
        G: [
            "Écris une fonction {lang} qui trie une liste de dictionnaires par date.",
            "Comment configurer {tool} pour mon projet ?",
            "J'ai l'erreur {err} quand je lance les tests, que faire ?",
            "Explique-moi les décorateurs en Python.",
            "Comment déployer une application {lang} sur un serveur ?",
            "Peux-tu relire ce code et proposer des améliorations ?",
        ],
    },
    "de": {
        M: [
            "Wie hoch ist die Laufzeitkomplexität von {algo}?",
            "Beweise durch Induktion, dass 1 + 2 + … + n = n(n+1)/2.",
            "Wie groß ist die Wahrscheinlichkeit, mit {k} Würfeln mindestens eine Sechs zu werfen?",
            "Löse das Gleichungssystem x + y = {c}, x - y = {a}.",
            "Berechne Mittelwert und Standardabweichung von {nums}.",
            "Berechne die Ableitung von x^{a} · cos x.",
            "Wie viele Möglichkeiten gibt es, {k} Personen in einer Reihe anzuordnen?",
        ],
        G: [
            "Schreibe eine Funktion in {lang}, die eine CSV-Datei einliest.",
            "Wie konfiguriere ich {tool} richtig?",
            "Ich bekomme den Fehler {err}, was mache ich falsch?",
            "Erkläre mir den Unterschied zwischen Prozess und Thread.",
            "Wie richte ich eine CI-Pipeline mit GitHub Actions ein?",
            "Wie kann ich diese SQL-Abfrage beschleunigen?",
        ],
    },
    "pt": {
        M: [
            "Qual é a complexidade de tempo de {algo}?",
            "Prove que a soma dos n primeiros ímpares é n².",
            "Qual é a probabilidade de tirar soma {c} com dois dados?",
            "Resolva {a}x + {b} = {c}.",
            "Calcule a variância de {nums}.",
            "Calcule a derivada de x^{a} · e^x.",
            "De quantas maneiras posso escolher {k} de {c} pessoas?",
        ],
        G: [
            "Escreva uma função em {lang} que remova duplicados de uma lista.",
            "Como configuro o {tool} no meu projeto?",
            "Estou com o erro {err}, como resolvo?",
            "Explique o que é uma promise em JavaScript.",
            "Como faço deploy de uma API {lang} na AWS?",
            "Crie um teste unitário para esta função.",
        ],
    },
    "it": {
        M: [
            "Qual è la complessità temporale di {algo}?",
            "Dimostra per induzione che 2^n > n.",
            "Qual è la probabilità di ottenere almeno un 6 lanciando {k} dadi?",
            "Risolvi {a}x - {b} = {c}.",
            "Calcola media e deviazione standard di {nums}.",
            "In quanti modi si possono anagrammare le lettere di {word}?",
            "Quante combinazioni di {k} elementi si possono formare da {c}?",
            "Calcola la derivata di sin(x)·x^{a}.",
        ],
        G: [
            "Scrivi una funzione in {lang} che legge un file JSON.",
            "Come configuro {tool} sul server?",
            "Ho questo errore: {err}. Come lo risolvo?",
            "Spiegami le classi astratte in Java.",
            "Come faccio a fare il deploy con Docker?",
        ],
    },
    "ru": {
        M: [
            "Какова временная сложность {algo}?",
            "Докажите по индукции, что 1 + 2 + … + n = n(n+1)/2.",
            "Какова вероятность выбросить хотя бы одну шестёрку за {k} бросков?",
            "Решите уравнение {a}x + {b} = {c}.",
            "Найдите среднее и дисперсию: {nums}.",
            "Найдите интеграл от x^{a} dx.",
        ],
        G: [
            "Напиши функцию на {lang}, которая читает файл построчно.",
            "Как настроить {tool} для продакшена?",
            "У меня ошибка {err}, как исправить?",
            "Объясни, что такое замыкание в JavaScript.",
            "Как ускорить этот SQL-запрос?",
        ],
    },
    "zh": {
        M: [
            "{algo}的时间复杂度是多少？",
            "证明：1 + 2 + … + n = n(n+1)/2。",
            "掷{k}次骰子至少出现一次6的概率是多少？",
            "解方程 {a}x + {b} = {c}。",
            "求 {nums} 的平均数和方差。",
            "求 x^{a} 的导数。",
            "从{c}个人中选{k}个人有多少种选法？",
        ],
        G: [
            "用{lang}写一个读取CSV文件的函数。",
            "如何配置{tool}？",
            "运行时报错 {err}，怎么解决？",
            "解释一下Python的装饰器。",
            "如何优化这个SQL查询？",
            "怎么用Docker部署我的应用？",
        ],
    },
    "ja": {
        M: [
            "{algo}の計算量はいくつですか？",
            "数学的帰納法で 1 + 2 + … + n = n(n+1)/2 を証明してください。",
            "サイコロを{k}回振って少なくとも1回6が出る確率は？",
            "{a}x + {b} = {c} を解いてください。",
            "{nums} の平均と分散を求めてください。",
            "x^{a} を微分してください。",
        ],
        G: [
            "{lang}でCSVファイルを読み込む関数を書いてください。",
            "{tool}の設定方法を教えてください。",
            "{err} というエラーが出ます。どうすればいいですか？",
            "Gitでコミットを取り消す方法は？",
            "このコードをリファクタリングしてください。",
        ],
    },
    "ko": {
        M: [
            "{algo}의 시간 복잡도는 얼마인가요?",
            "주사위를 {k}번 던져서 6이 적어도 한 번 나올 확률은?",
            "{a}x + {b} = {c} 를 풀어주세요.",
            "{nums} 의 평균과 분산을 구하세요.",
            "귀납법으로 1 + 2 + … + n = n(n+1)/2 를 증명하세요.",
        ],
        G: [
            "{lang}로 파일을 읽는 함수를 작성해 주세요.",
            "{tool} 설정 방법을 알려주세요.",
            "{err} 에러가 나요. 어떻게 고치나요?",
            "파이썬에서 가상환경을 만드는 방법은?",
        ],
    },
    "nl": {
        M: [
            "Wat is de tijdscomplexiteit van {algo}?",
            "Wat is de kans op minstens één zes bij {k} worpen?",
            "Los op: {a}x + {b} = {c}.",
            "Bereken het gemiddelde en de variantie van {nums}.",
        ],
        G: [
            "Schrijf een functie in {lang} die een lijst sorteert.",
            "Hoe configureer ik {tool}?",
            "Ik krijg de fout {err}, hoe los ik dat op?",
        ],
    },
}
ERRS = [
    "KeyError: 'id'",
    "ModuleNotFoundError: No module named 'requests'",
    "ECONNREFUSED 127.0.0.1:5432",
    "NullPointerException",
    "permission denied (publickey)",
    "segmentation fault",
    "CORS policy",
]


def foreign(lang: str, category: str) -> str:
    t = pick(FOREIGN[lang][category])
    n = rng.randint
    return t.format(
        algo=pick(["merge sort", "quicksort", "binary search", "Dijkstra", "heapsort"]),
        k=n(2, 6),
        a=n(2, 9),
        b=n(1, 20),
        c=n(5, 30),
        nums=nums(n(5, 8)),
        lang=pick(LANGS),
        tool=pick(TOOLS),
        err=pick(ERRS),
        name=pick(NAMES),
        word=pick(["BANANA", "ALGEBRA", "STATISTICS", "COFFEE", "LEVEL"]),
    )


def held_out_prompts() -> list[str]:
    return [
        json.loads(line)["prompt"]
        for name in HELD_OUT
        for line in (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def without_held_out_wordings(rows: list[dict], held_out: list[str]) -> list[dict]:
    """The rows worded like no held-out prompt (`worded_alike`: word sets, digits folded, Jaccard ≥ 0.5,
    the calibration's near-duplicate measure), whichever was written first: a held-out prompt must
    be new to the model, not a sibling of a training prompt."""
    held = [wording(prompt) for prompt in held_out]
    by_size: dict[int, list[frozenset[str]]] = {}
    for words in held:
        by_size.setdefault(len(words), []).append(words)
    kept = []
    for row in rows:
        mine = wording(row["prompt"])
        size = len(mine)
        # Jaccard ≥ 0.5 needs the smaller set at least half the larger
        near = (theirs for n in range(size // 2, 2 * size + 1) for theirs in by_size.get(n, ()))
        if not any(worded_alike(mine, theirs) for theirs in near):
            kept.append(row)
    return kept


def main() -> None:
    for _ in range(260):
        add(M, math_en(), "plain")
    for _ in range(90):
        add(M, math_word(), "word")
    for _ in range(60):
        add(M, stats_ml_math(), "stats-ml")
    for _ in range(70):
        add(M, math_code(), "code")
    for _ in range(30):
        add(M, math_log(), "messy")
    for _ in range(45):
        add(M, terse_math(), "terse")
    for _ in range(330):
        add(G, general_en(), "plain")
    for _ in range(70):
        add(G, general_code(), "code")
    for _ in range(70):
        add(G, general_trace(), "messy")
    for _ in range(50):
        add(G, terse_general(), "terse")
    for _ in range(60):
        add(G, general_compute_with_tools(), "boundary")
    for _ in range(25):
        add(G, terse_error(), "terse")
    for lang in FOREIGN:
        for category in (M, G):
            for _ in range(12):
                add(category, foreign(lang, category), "non-english", lang)
    for row in routing_train_more.rows() + routing_train_fourth.rows():
        add(row["category"], row["prompt"], row["kind"], row["lang"])
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        add(row["category"], row["prompt"], row["kind"], row["lang"])
    for prompt in VAGUE + vague_prompts(150):
        add(M, prompt, "vague")
        add(G, prompt, "vague")
    for path in SEEN_SETS:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                add(row["category"], row["prompt"], "seen-set")
    kept = without_held_out_wordings(rows, held_out_prompts())
    if len(kept) < len(rows):
        print(f"left out {len(rows) - len(kept)} prompts worded like a held-out prompt")
    rows[:] = kept
    seen: set[tuple[str, str]] = set()
    unique = [r for r in rows if not ((r["prompt"], r["category"]) in seen or seen.add((r["prompt"], r["category"])))]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in unique), encoding="utf-8")
    counts = {c: sum(r["category"] == c for r in unique) for c in (M, G)}
    print(f"{len(unique)} prompts → {OUT} ({counts})")


if __name__ == "__main__":
    main()
