# ruff: noqa: E501 (template data: one prompt a line; non-English text uses its own punctuation)
"""Training prompts for the router's fourth round (issue 17), written fresh.

Where the seen sets' misroutes cluster: requests for software whose description is full of numbers
(schedules, limits, sizes: the deliverable is code, so general) against questions whose answer is a
number but whose words are an engineer's (caches, queues, retries, disks: math); prompts carrying
SQL, CSV or configuration, asked to be changed (general) or computed from (math); and both in 32
languages besides English, 14 of them new to the training set (Thai, Persian, Bengali, Tamil, Urdu,
Swahili, Malay, Tagalog, Catalan, Slovak, Bulgarian, Serbian, Croatian, Lithuanian), four to five
prompts of each category per new language. Written without
copying or paraphrasing any held-out prompt, on topics away from theirs; a test checks that no
prompt here shares half its words with a held-out one.
"""

from __future__ import annotations

import random

from benchmarks.routing_train_more import Prompts

M, G = "math", "general"
rng = random.Random(41)

LANGS = ["Python", "Go", "TypeScript", "Rust", "Java", "Kotlin", "Swift", "C#", "Elixir", "Dart", "PHP", "Scala"]
THINGS = [
    "invoices",
    "sensor readings",
    "shipments",
    "parking tickets",
    "library loans",
    "lab samples",
    "tickets",
    "bookings",
]


def n(lo: int, hi: int) -> int:
    return rng.randint(lo, hi)


def fill(template: str) -> str:
    return template.format(
        a=n(2, 9),
        b=n(11, 60),
        c=n(100, 900),
        big=n(1000, 90000),
        pct=n(3, 45),
        lang=rng.choice(LANGS),
        thing=rng.choice(THINGS),
    )


#: Software to build whose description carries numbers: the deliverable is code.
SPEC_GENERAL = [
    "In {lang}, build a service that sends a reminder {a} days before each library loan is due, and again on the day itself.",
    "I need a small web page where a teacher enters {b} students' marks and it shows who passed (50 or more) in green.",
    "Our greenhouse has {a} fans. Write firmware logic that turns one more fan on for every 2 °C above 24 °C, max {a}.",
    "Write a worker in {lang} that polls the orders queue every {a} seconds, takes at most {b} messages per batch and retries a failed one twice.",
    "Make a CLI that renames {c} photos to their capture date, e.g. 2024-05-17_0930.jpg, skipping duplicates.",
    "Set up a GitHub Actions job that runs the tests on {a} Python versions and only deploys when all of them pass.",
    "Design the tables for a clinic booking app: {b} doctors, 20-minute slots from 8 to 17, patients can hold at most {a} future bookings.",
    "Write a function in {lang} that formats a duration in seconds as '2h 05m', e.g. {big} seconds.",
    "Add a feature flag so that {pct}% of users see the new checkout, sticky per user id.",
    "Write a Kubernetes HPA manifest that keeps CPU around {b}% with between {a} and {b} replicas.",
    "Create a Discord bot in {lang} that posts the standings of our {b}-team league every Monday at 08:00.",
    "Our kiosk should lock after {a} wrong PIN attempts for {b} minutes. Implement that in {lang} with tests.",
    "Write a script that splits a {big}-line CSV into files of at most {c} lines each, keeping the header in every file.",
    "Build the backend for a raffle: {c} tickets, each buyer max {a}, draw {a} winners at random at the end. Which stack would you use and what does the code look like?",
    "Implement a thermostat schedule in {lang}: 21 °C from 6:30 to 22:00 on weekdays, 19 °C otherwise.",
    "Write a log rotation config that keeps {a} files of {c} MB each and compresses the old ones.",
    "Generate {c} fake customer records with names, emails and ages between 18 and {b} for our staging database.",
    "Our coffee machine app must show the queue position and an estimated wait of {a} minutes per order ahead. Write the React component.",
    "Write a retry helper in {lang}: at most {a} attempts, waiting 200 ms, 400 ms, 800 ms and so on between them.",
    "Code a stopwatch web app with laps, that keeps up to {b} laps and exports them as CSV.",
    "Make the upload endpoint reject files over {c} MB and images wider than {big} px, with a clear error message.",
    "Write a SQL migration adding a discount_pct column (0 to {b}) to products, with a check constraint.",
    "Give me a PowerShell task that archives the Downloads folder every {a} weeks and empties the recycle bin.",
    "Build a budgeting spreadsheet importer: read bank exports with {a} columns and tag every payment over {c} euros.",
    "Program a traffic light controller in {lang}: green {b} s, yellow {a} s, red {b} s, with a pedestrian button.",
]
#: The answer is a number, a bound or a proof, asked in an engineer's or everyday words.
ASK_NUMBER = [
    "Our cache keeps {c} entries and each lookup is for one of {big} equally likely keys. Roughly what share of lookups hit?",
    "Every backup takes {b} minutes and we keep the last {a}. If a backup starts each hour, how much disk time per day is spent writing backups?",
    "A disk fills by {a} GB a day and has {c} GB free; cleanup frees half the used space every Sunday. When does it run out, if ever?",
    "A service answers in 20 ms {pct}% of the time and 300 ms otherwise. What's the average response time?",
    "Each of our {a} replicas is down 1% of the time, independently. How often are all of them down at once?",
    "Requests arrive about {b} per second and each takes 15 ms of one core. How many cores keep utilisation under 70%?",
    "We give {c} new hires a random desk out of {big}. How likely is it that two get the same desk?",
    "A job retries after 1 s, 2 s, 4 s, ... up to {a} tries. Worst case, how long before it gives up?",
    "If a phone battery loses {pct}% of its capacity per year, after how many years is it under half?",
    "A mirror syncs at {b} MB/s and the link drops for {a} minutes every hour. How long for a {big} MB image?",
    "A playlist of {b} songs plays on shuffle without repeats. What's the chance the first three are in album order?",
    "We print {c} labels a day and {pct} of every thousand jam. About how many jams a week, and what's the spread?",
    "Our elevator serves {a} floors. If each of {b} people picks a floor at random, how many stops does it make on average?",
    "A queue grows by {b} messages a second and consumers drain {c} a minute. After an hour, how long is the backlog?",
    "Each photo is {a} MB and we add {c} a day. With {pct}% growth per month, how much storage after a year?",
    "Half the sensors report every {a} seconds and the rest every {b}. How many readings arrive per hour?",
    "If a coupon code has {a} letters from A–Z, how many codes can we hand out before two collide with 50% chance?",
    "A leaky counter drops {pct}% of its value every hour. Starting at {c}, when is it below 1?",
    "Of {c} deploys, {a} were rolled back. Is that rate significantly above our 1% target?",
    "We round {big} prices to the nearest cent. How big can the total rounding error get, and how big is it typically?",
    "A task list doubles every sprint starting at {a} tasks while we close {b} per sprint. When does it outpace us?",
    "How many handshakes happen if {b} services each open one connection to every other one?",
    "What's the chance that in a team of {b} people at least two share a birthday month?",
    "A reservoir pump fills {c} litres an hour and the town uses {big} litres a day. How many hours a day must it run?",
    "Our elevator door sensor misfires once in {big} closes and closes {c} times a day. Expected days between misfires?",
]
#: Prompts carrying a table, a query or a configuration: change it (general) or compute from it (math).
CARRIED: dict[str, list[tuple[str, str]]] = {
    G: [
        (
            "Rewrite this query so it doesn't use a correlated subquery:",
            "SELECT c.name,\n  (SELECT MAX(o.total) FROM orders o WHERE o.customer_id = c.id) AS top\nFROM customers c\nWHERE c.country = 'NL';",
        ),
        (
            "Turn this CSV into JSON with one object per row, numbers as numbers:",
            "sku,qty,price\nA-{a},{b},3.50\nB-{a},{a},12.00\nC-{b},1,99.90",
        ),
        (
            "Why does nginx return 502 with this config?",
            "upstream app {{\n    server 127.0.0.1:{big};\n}}\nserver {{\n    listen 80;\n    location / {{ proxy_pass http://app; }}\n}}",
        ),
        (
            "Convert this docker-compose file to a Kubernetes deployment:",
            "services:\n  web:\n    image: shop:1.{a}\n    ports: ['8080:80']\n    environment:\n      WORKERS: {a}",
        ),
        (
            "This YAML fails to parse, what's wrong?",
            "jobs:\n  test:\n    runs-on: ubuntu-latest\n   steps:\n      - run: pytest -x -n {a}",
        ),
        (
            "Add an index that makes this fast and explain why:",
            "SELECT * FROM events\nWHERE tenant_id = $1 AND created_at > now() - interval '{a} days'\nORDER BY created_at DESC LIMIT {b};",
        ),
        (
            "Write a pandas snippet that pivots this so months are columns:",
            "region,month,sales\nnorth,jan,{c}\nnorth,feb,{c}\nsouth,jan,{b}\nsouth,feb,{c}",
        ),
        (
            "Make this Terraform create {a} buckets instead of one:",
            'resource "aws_s3_bucket" "logs" {{\n  bucket = "acme-logs"\n}}',
        ),
        (
            "Fix the syntax error in this migration:",
            "ALTER TABLE users ADD COLUMN age INT CHECK (age > 0 AND age < {c};",
        ),
        (
            "Read this CSV in Go and skip rows with an empty amount:",
            "date,amount,note\n2024-01-0{a},{b}.20,coffee\n2024-01-0{a},,refund\n2024-01-1{a},{c},rent",
        ),
    ],
    M: [
        (
            "From these numbers, what's the mean and standard deviation of the latency?",
            "endpoint,latency_ms\n/a,{b}\n/b,{c}\n/c,{b}\n/d,{a}0\n/e,{b}",
        ),
        (
            "Given this table, what's the month-over-month growth rate on average?",
            "month,users\njan,{c}\nfeb,{c}\nmar,{big}\napr,{big}",
        ),
        (
            "How many rows can this query return at most, if users has {big} rows and each has at most {a} roles?",
            "SELECT u.id, r.name FROM users u JOIN user_roles r ON r.user_id = u.id;",
        ),
        (
            "With this config, how many requests per minute can the pool serve at most if each takes 250 ms?",
            "pool:\n  workers: {a}\n  threads_per_worker: {a}\n  timeout_s: 30",
        ),
        (
            "What's the correlation between these two columns? Work it out.",
            "hours,score\n1,{b}\n2,{b}\n3,{c}\n4,{c}\n5,{c}",
        ),
        (
            "Using this price list, what's the cheapest way to buy exactly {b} units?",
            "pack,units,price\nsmall,{a},4\nmedium,{b},13\nlarge,{c},40",
        ),
        (
            "By this schedule, how many hours a week is at least one person on call?",
            "alice: Mon-Wed 08-20\nbob: Wed-Fri 12-24\ncarol: Sat-Sun 00-24",
        ),
        (
            "What fraction of these orders are over 100, and what's the median?",
            "id,total\n1,{b}\n2,{c}\n3,{a}\n4,{c}\n5,{b}\n6,{c}",
        ),
        (
            "Here are the build times of the last runs. Is the newest one an outlier? Compute a z-score.",
            "{c}\n{c}\n{c}\n{c}\n{big}",
        ),
        (
            "With these retention settings, how much disk do the logs take at steady state?",
            "max_size: {c}MB\nmax_files: {a}\ncompress: true  # about 10:1",
        ),
    ],
}
#: One topic, two deliverables: code that computes it (general) against the computed answer (math).
PAIRS: dict[str, list[str]] = {
    G: [
        "Implement Catalan numbers in {lang} both by the recurrence and by the binomial formula, and benchmark them.",
        "Implement Monte Carlo estimation of pi in {lang}, configurable sample count.",
        "Write code that computes compound interest month by month and prints a table.",
        "Code a routine in {lang} returning the greatest common divisor of a list of numbers.",
        "Write a function that tells how many working days lie between two dates, skipping holidays from a file.",
        "Make a program in {lang} that simulates {big} dice rolls and plots the histogram.",
        "Write a unit-tested {lang} function for the median of a stream of numbers.",
        "Implement the sieve of Eratosthenes in {lang} up to a limit read from the command line.",
        "Write a script that computes each employee's overtime from a timesheet CSV.",
        "Give me {lang} code that converts between Celsius and Fahrenheit with input validation.",
        "Write a function that computes the loan repayment schedule for any rate and term.",
        "Implement a class in {lang} that keeps a running mean and variance without storing the values.",
    ],
    M: [
        "What is the {a}th Catalan number, and why does the formula work?",
        "Estimate how many samples a Monte Carlo estimate of pi needs to be right to 3 decimals with 95% confidence.",
        "With {pct}% yearly interest compounded monthly, what does {big} grow to in {a} years?",
        "What is the greatest common divisor of {c}, {big} and {b}? Show the steps.",
        "How many working days are there between 3 March and 21 April if Easter Monday is off?",
        "Rolling two dice {c} times, how often do we expect a double six?",
        "Prove that the median minimises the sum of absolute deviations.",
        "How many primes are there below {c}, and how close is n / ln n?",
        "Someone works {b} hours a week at time-and-a-half after 40. What's their pay at {a}0 per hour?",
        "At what temperature are Celsius and Fahrenheit equal? Derive it.",
        "Paying {c} a month into a fund that returns {pct}% a year, when do we reach {big}0?",
        "Show that Welford's running variance update gives the same result as the two-pass formula.",
    ],
}
#: Terse requests, both ways.
TERSE: dict[str, list[str]] = {
    G: [
        "yaml anchors reuse env block",
        "k8s liveness probe every {b}s example",
        "debounce {c}ms in react",
        "sql top {a} per group",
        "systemd timer daily 03:00",
        "go context timeout {a}s",
        "pandas rolling mean {a} days",
        "bash loop 1 to {b}",
        "nginx gzip level {a}",
        "rust read file lines",
    ],
    M: [
        "ways to seat {a} at {b} chairs",
        "{big} grams in pounds, rounded",
        "mean gap between {a} random points on [0,1]",
        "limit of (1+1/n)^(2n)",
        "area under 1/x between 1 and {b}",
        "digits in {b}!",
        "odds of {a} reds in a row at roulette",
        "{big} seconds in days hours",
        "variance of uniform 0..{b}",
        "is {c} prime",
    ],
}
#: language → {category: templates}: languages and scripts the set had few or none of, and more of the big ones.
LANGUAGES: dict[str, dict[str, list[str]]] = {
    "th": {
        M: [
            "ถ้าเซิร์ฟเวอร์ล่ม {pct}% ของเวลา และเรามี {a} เครื่องแยกกัน โอกาสที่ล่มพร้อมกันทั้งหมดคือเท่าไร",
            "ร้านขายกาแฟได้ {c} แก้วต่อวัน ขึ้นราคา {pct}% แล้วยอดขายลด {a}% รายได้เปลี่ยนไปกี่เปอร์เซ็นต์",
            "จงพิสูจน์ว่าผลบวกของเลขคี่ n ตัวแรกเท่ากับ n²",
            "ลูกเต๋าสองลูก โอกาสที่ผลรวมเป็น {a} มีเท่าไร",
            "ถังน้ำจุ {big} ลิตร เปิดก๊อกไหล {b} ลิตรต่อนาที ต้องใช้เวลากี่ชั่วโมงจึงเต็ม",
        ],
        G: [
            "ช่วยเขียนฟังก์ชัน {lang} ที่อ่านไฟล์ CSV แล้วรวมยอดขายแต่ละเดือนให้หน่อย",
            "ตั้งค่า nginx ให้ redirect http ไป https ยังไง",
            "แอปของผมค้างทุกครั้งที่อัปโหลดรูปเกิน {a} MB ควรแก้ตรงไหน",
            "อธิบายความต่างระหว่าง let กับ const ใน JavaScript หน่อย",
            "เขียน SQL ดึงลูกค้าที่สั่งซื้อเกิน {a} ครั้งในเดือนนี้ให้หน่อย",
        ],
    },
    "fa": {
        M: [
            "اگر هر درخواست با احتمال {pct} درصد شکست بخورد، احتمال اینکه از {a} درخواست دست کم یکی شکست بخورد چقدر است؟",
            "یک مخزن در هر ساعت {c} لیتر پر می‌شود و {b} لیتر نشت می‌کند. چند ساعت طول می‌کشد تا {big} لیتر پر شود؟",
            "ثابت کنید که رادیکال ۲ گنگ است.",
            "میانگین و واریانس اعداد {a}، {b} و {c} را حساب کن.",
            "به چند طریق می‌توان {a} کتاب متفاوت را در یک قفسه چید؟",
        ],
        G: [
            "یک تابع در {lang} بنویس که شماره موبایل را اعتبارسنجی کند.",
            "چطور در Docker متغیرهای محیطی را برای محیط تست و تولید جدا کنم؟",
            "این خطا را در اجرای تست‌ها می‌گیرم: ModuleNotFoundError. مشکل از کجاست؟",
            "چطور یک صفحه لاگین در React با اعتبارسنجی فرم بسازم؟",
            "یک اسکریپت {lang} بنویس که هر {a} ساعت از پایگاه داده پشتیبان بگیرد.",
        ],
    },
    "bn": {
        M: [
            "একটি ব্যাগে {a}টি লাল ও {b}টি নীল বল আছে। দুটি বল তুললে দুটোই লাল হওয়ার সম্ভাবনা কত?",
            "প্রতি মাসে গ্রাহক {pct}% বাড়লে {c} জন থেকে এক বছরে কত জন হবে?",
            "প্রমাণ করো যে পরপর তিনটি পূর্ণসংখ্যার গুণফল ৬ দিয়ে বিভাজ্য।",
            "একটি ট্রেন ঘণ্টায় {b} কিমি বেগে চলে। {c} কিমি যেতে কত সময় লাগবে?",
            "{a}টি মুদ্রা একসাথে ছুড়লে ঠিক দুটি হেড পড়ার সম্ভাবনা কত?",
        ],
        G: [
            "{lang} দিয়ে একটি REST API বানাও যা বইয়ের তালিকা দেখায়।",
            "আমার React অ্যাপে লগইনের পরে পেজ রিফ্রেশ করলে ইউজার লগআউট হয়ে যায়, কীভাবে ঠিক করব?",
            "গিটে ভুল কমিট কীভাবে বাতিল করব?",
            "পাইথনে একটি ফাইল থেকে সব ইমেইল ঠিকানা বের করার কোড লিখে দাও।",
            "আমার Node.js সার্ভার {a} ঘণ্টা পর পর ক্র্যাশ করে, কীভাবে কারণ খুঁজব?",
        ],
    },
    "ta": {
        M: [
            "{b} பேர் கொண்ட குழுவில் இருந்து {a} பேரை எத்தனை வழிகளில் தேர்ந்தெடுக்கலாம்?",
            "ஒரு வேலை ஒரு இயந்திரத்தில் {b} நிமிடமும் மற்றொன்றில் {a} நிமிடமும் ஆகிறது. இரண்டும் சேர்ந்து செய்தால் எவ்வளவு நேரம்?",
            "ஒரு பொருளின் விலை {pct}% உயர்ந்து பின் {pct}% குறைந்தால் மொத்த மாற்றம் என்ன?",
            "முதல் n ஒற்றை எண்களின் கூட்டுத்தொகை n² என்று நிரூபிக்கவும்.",
        ],
        G: [
            "{lang} இல் ஒரு கோப்பில் உள்ள வரிகளை எண்ணும் நிரலை எழுதுங்கள்.",
            "PostgreSQL இல் backup எடுத்து வேறு சர்வரில் restore செய்வது எப்படி?",
            "React இல் ஒரு படிவத்தை சமர்ப்பிக்கும்போது பக்கம் மீண்டும் ஏற்றப்படுகிறது, எப்படி தடுப்பது?",
            "Git இல் ஒரு branch ஐ எப்படி நீக்குவது?",
        ],
    },
    "ur": {
        M: [
            "اگر ایک سکہ {a} بار اچھالا جائے تو ٹھیک دو بار ہیڈ آنے کا امکان کیا ہے؟",
            "ایک دکان کی فروخت ہر ماہ {pct} فیصد بڑھتی ہے۔ کتنے مہینوں میں دگنی ہو جائے گی؟",
            "ایک ٹینکی {a} گھنٹوں میں بھرتی ہے اور دوسری نلکی اسے {b} گھنٹوں میں خالی کرتی ہے۔ دونوں کھلی ہوں تو کتنا وقت لگے گا؟",
            "ثابت کریں کہ دو طاق اعداد کا مجموعہ ہمیشہ جفت ہوتا ہے۔",
        ],
        G: [
            "{lang} میں ایک فنکشن لکھیں جو تاریخ کو dd-mm-yyyy فارمیٹ میں بدل دے۔",
            "میری ویب سائٹ پر CORS کی خرابی آ رہی ہے، اسے کیسے ٹھیک کروں؟",
            "Docker کنٹینر میں لاگز کیسے دیکھوں؟",
            "ایک {lang} اسکرپٹ بنائیں جو فولڈر کی تمام تصاویر کا سائز کم کر دے۔",
        ],
    },
    "sw": {
        M: [
            "Mashine {a} zinazalisha bidhaa {c} kwa saa moja. Mashine {b} zitazalisha ngapi kwa saa {a}?",
            "Uwezekano wa kupata namba shufwa mara {a} mfululizo ukirusha kete ni upi?",
            "Bei ya bidhaa ilipanda kwa {pct}% kisha ikashuka kwa {pct}%. Mabadiliko ya jumla ni asilimia ngapi?",
            "Thibitisha kwamba jumla ya namba mbili shufwa ni shufwa.",
        ],
        G: [
            "Niandikie programu ya {lang} inayotuma SMS kwa wateja kila mwisho wa mwezi.",
            "Ninawezaje kuweka HTTPS kwenye seva yangu ya nginx?",
            "Ninawezaje kusoma faili ya CSV kwa kutumia pandas?",
            "Andika kazi ya {lang} inayohakiki nambari ya simu ya Kenya.",
        ],
    },
    "ms": {
        M: [
            "Sebuah kedai menjual {c} roti sehari. Jika jualan naik {pct}% setiap minggu, berapa roti selepas {a} minggu?",
            "Berapakah kebarangkalian sekurang-kurangnya satu daripada {a} cakera rosak jika setiap satu rosak dengan kebarangkalian 2%?",
            "Buktikan bahawa hasil tambah n nombor ganjil pertama ialah n².",
            "Sebuah kereta bergerak {b} km/j selama {a} jam. Berapa jauh perjalanannya?",
        ],
        G: [
            "Tulis skrip {lang} untuk memindahkan fail lama ke folder arkib setiap malam.",
            "Bagaimana nak sambungkan aplikasi Flask saya ke MySQL?",
            "Kenapa aplikasi React saya memaparkan skrin putih selepas build?",
            "Tulis fungsi {lang} yang menukar tarikh ke format hari/bulan/tahun.",
        ],
    },
    "tl": {
        M: [
            "Kung may {b} na estudyante at {a} ang pipiliin para sa komite, ilang paraan ang posible?",
            "Tumataas ng {pct}% ang presyo bawat taon. Magkano ang {c} piso pagkalipas ng {a} taon?",
            "Ano ang posibilidad na makakuha ng dalawang anim sa paghagis ng dalawang dice?",
            "Patunayan na ang kabuuan ng dalawang odd na numero ay even.",
        ],
        G: [
            "Gumawa ng {lang} function na nagbabasa ng JSON file at nagpi-print ng mga pangalan.",
            "Paano ko aayusin ang error na 'permission denied' kapag nagpu-push sa GitHub?",
            "Paano mag-deploy ng Django app sa Heroku?",
            "Sumulat ng {lang} script na nagba-backup ng database tuwing alas-{a} ng gabi.",
        ],
    },
    "ca": {
        M: [
            "Quantes maneres hi ha d'asseure {a} persones en una taula rodona?",
            "Si una bateria perd el {pct} % de càrrega cada hora, quant en queda després de {a} hores?",
            "Demostra que la suma dels angles d'un quadrilàter és 360°.",
            "Un tren surt a {b} km/h i un altre a {c} km/h en sentit contrari. Quan seran a {big} km?",
        ],
        G: [
            "Escriu una funció en {lang} que comprovi si una paraula és un palíndrom.",
            "Com configuro el webpack perquè generi fitxers separats per a cada pàgina?",
            "Com puc desplegar una aplicació Node a un servidor amb Nginx?",
            "Afegeix proves unitàries a aquesta funció de {lang} que calcula l'IVA.",
        ],
    },
    "sk": {
        M: [
            "Koľko rôznych trojíc sa dá vybrať z {b} hráčov?",
            "Server spracuje {c} požiadaviek za sekundu. Koľko ich spracuje za {a} hodín?",
            "Aká je pravdepodobnosť, že pri hode {a} kockami padne aspoň jedna šestka?",
            "Dokáž, že súčet dvoch nepárnych čísel je párny.",
        ],
        G: [
            "Napíš v {lang} funkciu, ktorá zoradí zoznam objednávok podľa dátumu.",
            "Ako nastavím cron v Kubernetes, aby sa záloha robila každú noc?",
            "Prečo mi Docker build padá na chybe 'no space left on device'?",
            "Ako v Reacte posielam dáta z formulára na server?",
        ],
    },
    "bg": {
        M: [
            "Каква е вероятността при {a} хвърляния на зар да няма нито една шестица?",
            "Докажете, че сборът на първите n естествени числа е n(n+1)/2.",
            "Влак изминава {c} км за {a} часа. Каква е средната му скорост?",
            "По колко начина могат {a} души да застанат в редица?",
        ],
        G: [
            "Напиши функция на {lang}, която премахва дублиращите се елементи от списък.",
            "Как да добавя автентикация с JWT в моето Express API?",
            "Защо получавам грешка 'undefined is not a function' в JavaScript?",
            "Напиши SQL заявка, която връща {a}-те най-продавани продукта.",
        ],
    },
    "sr": {
        M: [
            "Колико има четвороцифрених бројева са различитим цифрама?",
            "Ако хард диск има {c} GB и сваког дана се попуни {a} GB, за колико дана ће бити пун?",
            "Докажи да је збир прва n непарних бројева једнак n².",
            "Колика је вероватноћа да се при бацању две коцке добије збир {a}?",
        ],
        G: [
            "Напиши скрипту у {lang} која шаље извештај мејлом сваког понедељка.",
            "Зашто ми Git каже 'detached HEAD' и како да се вратим на грану?",
            "Како да подесим HTTPS на свом серверу са Let's Encrypt?",
            "Напиши функцију у {lang} која проверава да ли је стринг палиндром.",
        ],
    },
    "hr": {
        M: [
            "Kolika je očekivana vrijednost zbroja dviju kockica ako je jedna nepoštena i daje šesticu u {pct}% bacanja?",
            "U koliko se koraka binarnim pretraživanjem najviše nađe element među {big} brojeva?",
            "Cijena poraste {pct}% pa padne {pct}%. Kolika je ukupna promjena?",
            "Dokaži da je umnožak dvaju uzastopnih brojeva paran.",
        ],
        G: [
            "Kako u {lang} pročitati Excel datoteku i spremiti je u bazu?",
            "Napravi mi HTML obrazac za prijavu s provjerom lozinke.",
            "Zašto mi se React komponenta renderira dvaput?",
            "Kako postaviti automatsko slanje e-maila iz {lang} aplikacije?",
        ],
    },
    "lt": {
        M: [
            "Kiek yra būdų išdėlioti {a} skirtingas knygas lentynoje?",
            "Jei kaina padidėja {pct} %, o po to sumažėja {pct} %, koks galutinis pokytis?",
            "Įrodykite, kad dviejų lyginių skaičių suma yra lyginė.",
            "Kokia tikimybė, kad metant dvi kauliukus suma bus {a}?",
        ],
        G: [
            "Parašyk {lang} programą, kuri atsisiunčia orų prognozę ir ją išsaugo faile.",
            "Kaip sutvarkyti klaidą 'port already in use' paleidžiant serverį?",
            "Kaip Docker konteineryje nustatyti laiko juostą?",
            "Parašyk SQL užklausą, kuri grąžina klientus be užsakymų.",
        ],
    },
    "ar": {
        M: [
            "إذا كان احتمال تعطل القرص في السنة {pct}٪، فما احتمال أن يبقى {a} أقراص سليمة طوال السنة؟",
            "كم عدد الأعداد الزوجية المكونة من ثلاثة أرقام مختلفة؟",
        ],
        G: [
            "اكتب سكربت {lang} يرسل تنبيهاً عندما تتجاوز مساحة القرص {b}٪.",
            "كيف أضيف الترجمة إلى تطبيق React يدعم العربية والإنجليزية؟",
        ],
    },
    "he": {
        M: [
            "בכמה דרכים אפשר לחלק {a} משימות בין {a} מפתחים כך שכל אחד מקבל אחת?",
            "שרת עונה תוך {b} מילישניות בממוצע עם סטיית תקן {a}. מה ההסתברות לתשובה מעל {c} מילישניות בקירוב נורמלי?",
        ],
        G: [
            "כתוב פונקציה ב-{lang} שבודקת אם מספר תעודת זהות תקין.",
            "איך מגדירים CI שמריץ בדיקות על כל pull request?",
        ],
    },
    "vi": {
        M: [
            "Một kho có {big} gói hàng, mỗi ngày xuất {c} gói và nhập {b} gói. Sau bao nhiêu ngày kho hết hàng?",
            "Xác suất để trong {a} lần gọi API có đúng một lần lỗi, nếu mỗi lần lỗi với xác suất {pct}%?",
        ],
        G: [
            "Viết hàm {lang} kiểm tra mật khẩu có ít nhất {a} ký tự và một chữ số.",
            "Làm sao để deploy ứng dụng Next.js lên VPS với PM2?",
        ],
    },
    "id": {
        M: [
            "Sebuah antrean menerima {b} pesanan per menit dan tiap kasir melayani {a} per menit. Berapa kasir minimal agar antrean tidak menumpuk?",
            "Buktikan bahwa jumlah sudut dalam segi-n adalah (n−2)·180°.",
        ],
        G: [
            "Buatkan skrip {lang} untuk mengompres semua gambar di folder uploads.",
            "Kenapa query Laravel saya lambat kalau datanya sudah {big} baris?",
        ],
    },
    "hi": {
        M: [
            "एक टंकी {a} घंटे में भरती है और नाली उसे {b} घंटे में खाली करती है। दोनों खुले हों तो कितना समय लगेगा?",
            "{b} लोगों में से {a} की टीम कितने तरीकों से बन सकती है?",
        ],
        G: [
            "{lang} में एक फंक्शन लिखो जो GST जोड़कर बिल का कुल बनाए।",
            "मेरे Django ऐप में static files लोड नहीं हो रहीं, क्या करूं?",
        ],
    },
    "ko": {
        M: [
            "주사위를 {a}번 던져서 6이 한 번도 안 나올 확률은?",
            "월 {pct}%씩 사용자가 늘면 {c}명이 {a}년 뒤 몇 명이 되나요? 계산 과정도 보여 주세요.",
        ],
        G: [
            "{lang}로 매일 아침 9시에 슬랙으로 날씨를 보내는 봇을 만들어 줘.",
            "도커 컨테이너에서 시간대가 UTC로 나오는데 서울 시간으로 바꾸려면?",
        ],
    },
    "ja": {
        M: [
            "{b}人のチームから{a}人を選ぶ組み合わせは何通りですか。",
            "サーバーの応答時間の平均が{b}ミリ秒、標準偏差が{a}ミリ秒のとき、{c}ミリ秒を超える割合はおよそどれくらい？",
        ],
        G: [
            "{lang}で、毎週月曜に売上レポートをメールで送るバッチを書いてください。",
            "Gitでマージ後に間違えたコミットを取り消す方法を教えて。",
        ],
    },
    "zh": {
        M: [
            "一个仓库每天进货{c}件、出货{b}件，现有{big}件，多少天后库存翻倍？",
            "从{b}个候选人里选{a}个组成小组，有多少种选法？",
        ],
        G: [
            "用{lang}写一个脚本，每天凌晨把日志文件压缩并上传到对象存储，保留最近{a}天。",
            "Vue 页面切换后定时器还在跑，怎么在组件销毁时清掉？",
        ],
    },
    "ru": {
        M: [
            "Склад получает {c} коробок в день и отгружает {b}. Через сколько дней он заполнится, если вмещает {big}?",
            "Какова вероятность, что среди {a} случайных чисел от 1 до 10 все разные?",
        ],
        G: [
            "Напиши на {lang} бота, который раз в {a} часа проверяет цены и пишет в Telegram, если что-то подешевело.",
            "Как настроить в PostgreSQL автоматическое удаление записей старше {b} дней?",
        ],
    },
    "pt": {
        M: [
            "Uma impressora imprime {b} páginas por minuto e outra {a}. Juntas, quanto tempo levam para {c} páginas?",
            "Um cofre tem um código de {a} dígitos; testando {b} códigos por minuto, quanto tempo leva no pior caso?",
        ],
        G: [
            "Cria um endpoint em {lang} que devolve o saldo da conta com cache de {b} segundos.",
            "Meu app Flutter fica com a tela branca ao abrir no iPhone, o que pode ser?",
        ],
    },
    "it": {
        M: [
            "Un negozio vende {c} pezzi al mese e le vendite calano del {pct}% al mese. Quanti ne vende in un anno?",
            "Quante diagonali ha un poligono convesso con {b} lati?",
        ],
        G: [
            "Scrivi in {lang} un servizio che ogni {a} minuti legge i sensori di temperatura e salva i valori su InfluxDB.",
            "Come faccio a far partire il mio script Python all'avvio del Raspberry Pi?",
        ],
    },
    "tr": {
        M: [
            "Bir sunucu günde {big} istek alıyor ve her ay %{pct} artıyor. Bir yıl sonra günde kaç istek olur?",
            "{a} kişi yuvarlak masaya kaç farklı şekilde oturabilir?",
        ],
        G: [
            "{lang} ile her gece {a}:00'te veritabanı yedeği alan bir betik yaz.",
            "React'te form gönderince sayfa yenileniyor, nasıl engellerim?",
        ],
    },
    "pl": {
        M: [
            "Kolejka przyjmuje {b} zgłoszeń na godzinę, a każdy konsultant obsługuje {a}. Ilu konsultantów potrzeba?",
            "Jakie jest prawdopodobieństwo, że w {a} rzutach monetą wypadnie więcej orłów niż reszek?",
        ],
        G: [
            "Napisz w {lang} usługę, która co {b} sekund sprawdza, czy strona działa, i wysyła maila po {a} błędach z rzędu.",
            "Jak skonfigurować ESLint i Prettier, żeby się nie gryzły?",
        ],
    },
    "es": {
        M: [
            "Una app pierde el {pct} % de sus usuarios cada mes. ¿Cuántos quedan de {big} al cabo de un año?",
            "Un ascensor tarda {a} segundos por piso y hay {b} pisos. ¿Cuánto tarda de media un viaje entre dos pisos al azar?",
        ],
        G: [
            "Haz en {lang} un programa que cada {b} minutos mire el precio del dólar y me avise si baja de 900.",
            "¿Cómo paso variables de entorno a un contenedor en docker-compose?",
        ],
    },
    "fr": {
        M: [
            "Une imprimante 3D consomme {b} g de filament par pièce. Avec une bobine de {big} g, combien de pièces et combien de reste ?",
            "Quelle est la probabilité qu'un mot de {a} lettres tiré au hasard soit un palindrome ?",
        ],
        G: [
            "Écris en {lang} un service qui relance les factures impayées après {b} jours, puis tous les {a} jours.",
            "Comment limiter la mémoire d'un conteneur à {c} Mo dans Docker ?",
        ],
    },
    "de": {
        M: [
            "Ein Lager bekommt täglich {c} Pakete und verschickt {b}. Wann ist es bei {big} Plätzen voll?",
            "Wie wahrscheinlich ist es, dass bei {b} Bestellungen mindestens eine am gleichen Tag wie eine andere eingeht, bei 30 Tagen im Monat?",
        ],
        G: [
            "Schreib in {lang} einen Dienst, der alle {a} Minuten die Füllstände der Tanks abfragt und bei unter {pct} % eine Mail schickt.",
            "Wie bekomme ich in VS Code den Debugger für ein Node-Projekt zum Laufen?",
        ],
    },
    "nl": {
        M: [
            "Een pomp vult {c} liter per uur en er lekt {b} liter per uur weg. Hoelang duurt het om {big} liter te vullen?",
            "Hoeveel verschillende kentekens van {a} letters zijn er als elke letter maar één keer mag?",
        ],
        G: [
            "Schrijf in {lang} een script dat elke ochtend om {a}:00 de agenda van het team naar Slack stuurt.",
            "Hoe zet ik een eigen domein op mijn GitHub Pages-site?",
        ],
    },
    "uk": {
        M: [
            "Автобус приходить кожні {b} хвилин. Скільки в середньому чекає людина, що приходить навмання?",
            "Доведіть, що n³ − n ділиться на 6 для будь-якого цілого n.",
        ],
        G: [
            "Напиши на {lang} скрипт, який щогодини перевіряє SSL-сертифікати {a} сайтів і попереджає за {b} днів до закінчення.",
            "Як налаштувати Nginx для кількох доменів на одному сервері?",
        ],
    },
}


def rows() -> list[dict[str, str]]:
    """The fresh prompts, each template filled twice (near-duplicate fills share a fold in calibration)."""
    out = Prompts()
    add, each = out.add, out.each

    for lang, by_category in LANGUAGES.items():
        for category, templates in by_category.items():
            each(templates, fill, category, "non-english", lang)
    each(SPEC_GENERAL, fill, G, "boundary")
    each(ASK_NUMBER, fill, M, "word")
    for category, pairs in CARRIED.items():
        for question, body in pairs:
            for _ in range(2):
                block = fill(body)
                fenced = rng.random() < 0.5
                carried = f"```\n{block}\n```" if fenced else block
                prompt = f"{fill(question)}\n\n{carried}" if rng.random() < 0.7 else f"{carried}\n\n{fill(question)}"
                add(category, prompt, "code")
    for category, templates in PAIRS.items():
        each(templates, fill, category, "boundary")
    for category, templates in TERSE.items():
        each(templates, fill, category, "terse")
    return out
