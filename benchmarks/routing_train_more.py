# ruff: noqa: E501 (template data: one prompt a line; non-English text uses its own punctuation)
"""More training prompts for the router, written fresh for the third improvement round (issue 17).

Where the router was weakest: math and general requests in many languages (each with several
kinds of question, not one template), boundary requests whose deliverable is code against those
whose deliverable is a number or a proof, word problems without math vocabulary, quantities asked
about code, statistics/ML explained against derived. Written without copying or paraphrasing any
held-out prompt; `make_routing_train` still drops any exact held-out prompt.
"""

from __future__ import annotations

import random
from collections.abc import Callable

M, G = "math", "general"
rng = random.Random(23)

ALGOS = [
    "merge sort",
    "quicksort",
    "heapsort",
    "binary search",
    "insertion sort",
    "BFS",
    "DFS",
    "counting sort",
    "Prim's algorithm",
    "Bellman-Ford",
    "the Euclidean algorithm",
    "selection sort",
]
LANGS = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C#", "Kotlin", "PHP", "Ruby", "C++", "Bash"]
TOOLS = [
    "Docker",
    "nginx",
    "PostgreSQL",
    "Redis",
    "Kubernetes",
    "GitHub Actions",
    "Terraform",
    "Kafka",
    "Django",
    "Spring Boot",
    "React",
    "FastAPI",
]
ERRS = [
    "TypeError: undefined is not a function",
    "IndexError: list index out of range",
    "ConnectionResetError",
    "OOMKilled",
    "ssl: certificate verify failed",
    "deadlock detected",
    "403 Forbidden",
    "UnicodeDecodeError",
]


def n(lo: int, hi: int) -> int:
    return rng.randint(lo, hi)


def pick(xs: list[str]) -> str:
    return rng.choice(xs)


def fill(template: str) -> str:
    return template.format(
        a=n(2, 9),
        b=n(2, 30),
        c=n(10, 99),
        big=n(100, 5000),
        pct=n(2, 40),
        algo=pick(ALGOS),
        lang=pick(LANGS),
        tool=pick(TOOLS),
        err=pick(ERRS),
        nums=", ".join(str(n(1, 60)) for _ in range(n(5, 8))),
    )


#: language → {category: templates}; each template asks a different kind of thing.
LANGUAGES: dict[str, dict[str, list[str]]] = {
    "es": {
        M: [
            "¿Cuántos números de {a} cifras hay que sean múltiplos de 7?",
            "Si el {pct} % de las peticiones fallan de forma independiente, ¿qué probabilidad hay de que fallen {a} seguidas?",
            "Nuestro servicio procesa {big} peticiones por minuto. ¿Cuántas son al día? Dame la cuenta.",
            "Demuestra por inducción que 2^n > n para todo n natural.",
            "¿Qué complejidad tiene {algo} en el peor caso? Justifícalo.",
            "Halla la desviación típica de estos tiempos: {nums}.",
            "¿Cuántas comparaciones hace {algo} con {big} elementos en el peor caso?",
            "Un disco se llena a {a} GB por día y quedan {big} GB libres. ¿En cuántos días se llena?",
        ],
        G: [
            "¿Cómo hago un endpoint en {tool} que devuelva los pedidos paginados?",
            "Me sale {err} al arrancar la app, ¿qué puede ser?",
            "Escribe un script en {lang} que calcule el total de cada factura de un CSV.",
            "¿Qué diferencia hay entre un proceso y un hilo?",
            "Revisa este código y dime cómo hacerlo más legible.",
            "¿Cómo despliego {tool} con variables de entorno distintas por entorno?",
            "Haz una función en {lang} que valide un correo electrónico.",
        ],
    },
    "fr": {
        M: [
            "Combien de mots de passe de {a} caractères peut-on former avec 26 lettres, sans répétition ?",
            "Quelle est l'espérance du nombre de lancers pour obtenir un six ?",
            "Calcule la complexité de {algo} dans le pire des cas et explique pourquoi.",
            "Un serveur tient {big} connexions ; chaque client en ouvre {a}. Combien de clients au maximum ?",
            "Montre que la somme des angles d'un triangle vaut 180°.",
            "Résous le système x + y = {c} et x − y = {b}.",
            "Quelle est la médiane et l'écart-type de : {nums} ?",
            "Si un job met {c} secondes par lot et qu'il y a {big} lots, combien d'heures au total ?",
        ],
        G: [
            "Écris une fonction {lang} qui fusionne deux listes triées.",
            "Comment configurer {tool} derrière un reverse proxy ?",
            "J'ai l'erreur {err} en production, comment la diagnostiquer ?",
            "Quelle est la différence entre une interface et une classe abstraite ?",
            "Peux-tu refactoriser ce contrôleur pour séparer la logique métier ?",
            "Ajoute des tests unitaires pour la fonction qui calcule la TVA.",
            "Mon image Docker fait 2 Go pour une app {lang}, comment la réduire ?",
        ],
    },
    "de": {
        M: [
            "Auf wie viele Arten lassen sich {a} Jobs in eine Reihenfolge bringen?",
            "Berechne den Erwartungswert der Augensumme bei {a} Würfeln.",
            "Welche Laufzeit hat {algo} im Durchschnitt? Bitte mit Begründung.",
            "Ein Cluster hat {b} Knoten mit je {c} GB RAM; {pct} % sind reserviert. Wie viel bleibt nutzbar?",
            "Zeige, dass n² − n für jede natürliche Zahl gerade ist.",
            "Wie groß ist die Wahrscheinlichkeit, bei {b} Münzwürfen genau die Hälfte Kopf zu bekommen?",
            "Bestimme Mittelwert und Standardabweichung von {nums}.",
            "Löse die Gleichung {a}x − {b} = {c}.",
        ],
        G: [
            "Schreib mir ein {lang}-Skript, das alte Logdateien löscht.",
            "Wie richte ich {tool} mit TLS ein?",
            "Ich bekomme {err}, wenn ich den Container starte. Was tun?",
            "Was ist der Unterschied zwischen Komposition und Vererbung?",
            "Kannst du diese Funktion so umbauen, dass sie asynchron läuft?",
            "Wie versioniere ich eine REST-API sauber?",
            "Schreib eine Klasse in {lang}, die Brüche addiert und kürzt.",
        ],
    },
    "pt": {
        M: [
            "Qual é a complexidade de {algo} no pior caso? Explique.",
            "Quantos anagramas tem a palavra CÓDIGO?",
            "Se cada disco falha com probabilidade de {pct}% ao ano, qual a chance de falharem dois de {a}?",
            "Prove que a soma de três números consecutivos é múltipla de 3.",
            "Calcule a média e a mediana de {nums}.",
            "Uma fila recebe {c} tarefas por minuto e cada worker faz {b}. Quantos workers precisamos?",
            "Resolva {a}x² − {b}x = 0.",
            "Quanto tempo leva para transferir {big} GB a {c} MB/s?",
        ],
        G: [
            "Como faço para conectar {tool} na minha aplicação {lang}?",
            "Estou recebendo {err}, o que significa?",
            "Escreva uma função em {lang} que agrupe uma lista de pedidos por cliente.",
            "Qual a diferença entre SQL e NoSQL na prática?",
            "Me ajuda a configurar o CI para rodar os testes a cada push?",
            "Refatore essa classe para usar injeção de dependência.",
            "Crie um componente React de formulário de cadastro.",
        ],
    },
    "it": {
        M: [
            "Qual è la complessità di {algo}? Motiva la risposta.",
            "In quanti modi si possono scegliere {a} elementi da {b}?",
            "Qual è la probabilità che su {b} richieste almeno una vada in timeout se ognuna fallisce con il {pct}%?",
            "Dimostra che il prodotto di due numeri pari è divisibile per 4.",
            "Calcola la varianza di {nums}.",
            "Un backup cresce del {pct}% al mese partendo da {big} GB. Quanto sarà grande tra un anno?",
            "Trova la derivata di x^{a} · sin x.",
            "Se {a} persone impiegano {b} giorni per migrare il database, quanto ne impiegano {c}?",
        ],
        G: [
            "Scrivi una funzione in {lang} che legge un file JSON e stampa le chiavi.",
            "Come configuro {tool} in produzione?",
            "Ho l'errore {err}, come lo risolvo?",
            "Che differenza c'è tra git merge e git rebase?",
            "Puoi fare una revisione di questo codice e suggerire miglioramenti?",
            "Come si scrive un test di integrazione per un'API REST?",
            "Crea uno script che fa il backup della cartella ogni notte.",
        ],
    },
    "ru": {
        M: [
            "Какова сложность {algo} в худшем случае? Обоснуйте.",
            "Сколько существует способов выбрать {a} человек из {b}?",
            "Докажите, что сумма первых n нечётных чисел равна n².",
            "Найдите среднее и дисперсию выборки: {nums}.",
            "Вероятность отказа узла {pct}% в месяц. Какова вероятность, что из {a} узлов откажет хотя бы один?",
            "Решите уравнение {a}x + {b} = {c}.",
            "Сервис получает {big} запросов в минуту. Сколько это в сутки?",
            "Найдите производную функции ln(x² + {a}).",
        ],
        G: [
            "Напиши функцию на {lang}, которая удаляет дубликаты из списка.",
            "Как настроить {tool} для продакшена?",
            "Получаю ошибку {err}, что делать?",
            "Чем отличается процесс от потока?",
            "Помоги отрефакторить этот класс, он слишком большой.",
            "Как написать Dockerfile для приложения на {lang}?",
            "Объясни, как работает сборщик мусора в Java.",
        ],
    },
    "uk": {
        M: [
            "Яка складність {algo} у найгіршому випадку?",
            "Скільки існує способів розсадити {a} людей за круглим столом?",
            "Доведіть, що n³ − n ділиться на 3 для всіх натуральних n.",
            "Обчисліть середнє та медіану: {nums}.",
            "Яка ймовірність отримати рівно {a} гербів при {b} підкиданнях монети?",
            "Розв'яжіть рівняння {a}x − {b} = {c}.",
        ],
        G: [
            "Напиши скрипт на {lang}, який перейменовує файли в папці.",
            "Як налаштувати {tool} з нуля?",
            "У мене помилка {err}, як її виправити?",
            "Поясни різницю між REST і GraphQL.",
            "Зроби рев'ю цього коду, будь ласка.",
            "Як додати авторизацію через JWT у мій API?",
        ],
    },
    "pl": {
        M: [
            "Ile jest liczb {a}-cyfrowych podzielnych przez 5?",
            "Jakie jest prawdopodobieństwo wyrzucenia co najmniej jednej szóstki w {a} rzutach kostką?",
            "Udowodnij, że suma kątów w czworokącie wynosi 360°.",
            "Oblicz średnią i odchylenie standardowe: {nums}.",
            "Rozwiąż równanie {a}x + {b} = {c}.",
            "Serwer obsługuje {c} żądań na sekundę. Ile to żądań na godzinę?",
            "Ile porównań wykona {algo} dla {big} elementów w najgorszym przypadku?",
            "Oblicz pochodną funkcji x^{a} · ln x.",
        ],
        G: [
            "Napisz funkcję w {lang}, która odwraca napis.",
            "Jak skonfigurować {tool} na serwerze?",
            "Dostaję błąd {err}, jak to naprawić?",
            "Jaka jest różnica między klasą a interfejsem?",
            "Zrób przegląd tego kodu i zaproponuj poprawki.",
            "Jak napisać testy jednostkowe dla serwisu w {lang}?",
            "Pomóż mi skonfigurować pipeline CI dla projektu.",
        ],
    },
    "cs": {
        M: [
            "Kolik je různých pořadí {a} úloh ve frontě?",
            "Jaká je pravděpodobnost, že ze {b} hodů mincí padne aspoň {a} panny?",
            "Dokažte, že odmocnina ze 3 je iracionální.",
            "Spočítej průměr a rozptyl hodnot {nums}.",
            "Vyřeš rovnici {a}x − {b} = {c}.",
            "Jaká je časová složitost algoritmu {algo}? Zdůvodni.",
        ],
        G: [
            "Napiš v {lang} funkci, která načte CSV a vrátí seznam slovníků.",
            "Jak nastavit {tool} v Dockeru?",
            "Mám chybu {err}, co s tím?",
            "Jaký je rozdíl mezi TCP a UDP?",
            "Můžeš mi zrefaktorovat tuhle funkci?",
            "Jak nasadit aplikaci na Kubernetes?",
        ],
    },
    "nl": {
        M: [
            "Wat is de kans dat van {a} onafhankelijke servers er precies één uitvalt als elk {pct}% kans heeft?",
            "Bewijs dat het product van twee opeenvolgende getallen even is.",
            "Bereken de mediaan en de standaardafwijking van {nums}.",
            "Hoeveel vergelijkingen doet {algo} in het slechtste geval bij {big} elementen?",
            "Een wachtrij krijgt {c} taken per minuut en een worker doet er {b}. Hoeveel workers zijn nodig?",
            "Los het stelsel x + 2y = {c} en x − y = {b} op.",
        ],
        G: [
            "Schrijf een {lang}-functie die een lijst bestellingen per klant groepeert.",
            "Hoe zet ik {tool} op met een eigen certificaat?",
            "Ik krijg {err} bij het deployen, wat is er mis?",
            "Wat is het verschil tussen een mutex en een semafoor?",
            "Kun je deze code opschonen en beter leesbaar maken?",
            "Hoe schrijf ik een migratie die een kolom toevoegt?",
        ],
    },
    "sv": {
        M: [
            "Hur många sätt kan {a} personer ställa sig i en kö?",
            "Vad är sannolikheten att få minst en sexa på {a} kast med en tärning?",
            "Bevisa att summan av två jämna tal är jämn.",
            "Beräkna medelvärdet och standardavvikelsen för {nums}.",
            "Lös ekvationen {a}x + {b} = {c}.",
            "Vilken tidskomplexitet har {algo}? Motivera.",
        ],
        G: [
            "Skriv en funktion i {lang} som tar bort dubbletter ur en lista.",
            "Hur konfigurerar jag {tool} för produktion?",
            "Jag får felet {err}, hur fixar jag det?",
            "Vad är skillnaden mellan en tråd och en process?",
            "Kan du granska den här koden och föreslå förbättringar?",
            "Hur sätter jag upp loggning i en {lang}-tjänst?",
        ],
    },
    "da": {
        M: [
            "Hvad er sandsynligheden for at slå to seksere med {a} terninger?",
            "Bevis at der findes uendeligt mange lige tal.",
            "Beregn gennemsnit og varians af {nums}.",
            "Hvor mange delmængder med {a} elementer har en mængde med {b} elementer?",
        ],
        G: [
            "Skriv et {lang}-script der sender en e-mail, når et job fejler.",
            "Hvordan opsætter jeg {tool} lokalt?",
            "Jeg får {err}, hvad betyder det?",
            "Hvad er forskellen på en stak og en kø?",
        ],
    },
    "no": {
        M: [
            "Hvor mange forskjellige PIN-koder på {a} sifre finnes det?",
            "Løs likningen {a}x − {b} = {c}.",
            "Hva er forventet antall kast før man får kron?",
            "Finn median og standardavvik for {nums}.",
        ],
        G: [
            "Skriv en funksjon i {lang} som teller ord i en tekst.",
            "Hvordan setter jeg opp {tool} med Docker?",
            "Jeg får {err} når jeg kjører testene, hva er galt?",
            "Forklar forskjellen på HTTP og HTTPS.",
        ],
    },
    "fi": {
        M: [
            "Millä todennäköisyydellä {a} nopanheitosta ainakin yksi on kuutonen?",
            "Todista, että kahden parittoman luvun summa on parillinen.",
            "Laske keskiarvo ja keskihajonta luvuille {nums}.",
            "Monellako tavalla {a} henkilöä voidaan asettaa jonoon?",
        ],
        G: [
            "Kirjoita {lang}-funktio, joka lukee tiedoston rivi kerrallaan.",
            "Miten asennan {tool}:n palvelimelle?",
            "Saan virheen {err}, miten korjaan sen?",
            "Mikä ero on luokalla ja oliolla?",
        ],
    },
    "tr": {
        M: [
            "{algo} algoritmasının en kötü durumdaki zaman karmaşıklığı nedir?",
            "{b} kişiden {a} kişilik kaç farklı ekip seçilebilir?",
            "İki zar atıldığında toplamın {a} olma olasılığı nedir?",
            "n² + n sayısının her n için çift olduğunu kanıtlayın.",
            "{nums} sayılarının ortalamasını ve standart sapmasını hesaplayın.",
            "Bir sunucu saniyede {c} istek işliyor. Bir günde kaç istek eder?",
        ],
        G: [
            "{lang} ile bir listeyi tersine çeviren fonksiyon yaz.",
            "{tool} nasıl kurulur ve yapılandırılır?",
            "{err} hatası alıyorum, nasıl düzeltirim?",
            "Git'te bir branch'i nasıl silerim?",
            "Bu kodu daha okunabilir hale getirebilir misin?",
            "REST API için kimlik doğrulama nasıl eklenir?",
        ],
    },
    "el": {
        M: [
            "Ποια είναι η πιθανότητα να φέρουμε κορώνα {a} φορές σε {b} ρίψεις;",
            "Αποδείξτε ότι το άθροισμα των πρώτων n φυσικών είναι n(n+1)/2.",
            "Υπολογίστε τη μέση τιμή και τη διασπορά των {nums}.",
            "Λύστε την εξίσωση {a}x + {b} = {c}.",
        ],
        G: [
            "Γράψε μια συνάρτηση σε {lang} που ταξινομεί μια λίστα αντικειμένων.",
            "Πώς ρυθμίζω το {tool};",
            "Παίρνω το σφάλμα {err}, τι να κάνω;",
            "Ποια η διαφορά ανάμεσα σε thread και process;",
        ],
    },
    "ro": {
        M: [
            "Câte numere de {a} cifre distincte există?",
            "Demonstrați că √5 este irațional.",
            "Calculați media și deviația standard pentru {nums}.",
            "Care este probabilitatea ca din {a} servere să cadă exact două, dacă fiecare cade cu {pct}%?",
        ],
        G: [
            "Scrie o funcție în {lang} care validează un CNP.",
            "Cum configurez {tool} pentru producție?",
            "Primesc eroarea {err}, cum o rezolv?",
            "Care e diferența dintre o listă și un tuplu în Python?",
        ],
    },
    "hu": {
        M: [
            "Hányféleképpen lehet {a} könyvet sorba rendezni a polcon?",
            "Bizonyítsd be, hogy két egymást követő szám szorzata páros.",
            "Számold ki az átlagot és a szórást: {nums}.",
            "Mekkora a valószínűsége, hogy {a} dobásból legalább egy hatos?",
        ],
        G: [
            "Írj egy {lang} függvényt, ami beolvas egy CSV fájlt.",
            "Hogyan állítsam be a {tool}-t?",
            "{err} hibát kapok, mit csináljak?",
            "Mi a különbség az interfész és az absztrakt osztály között?",
        ],
    },
    "zh": {
        M: [
            "{algo}在最坏情况下的时间复杂度是多少？请说明理由。",
            "从{b}个人中选出{a}个人组成小组，有多少种选法？",
            "证明：任意两个奇数之和是偶数。",
            "求这组数据的平均数和方差：{nums}。",
            "每台服务器每月宕机的概率是{pct}%，{a}台服务器中至少一台宕机的概率是多少？",
            "解方程 {a}x + {b} = {c}。",
            "接口每秒处理{c}个请求，一天能处理多少个？",
            "函数 x^{a}·e^x 的导数是什么？",
        ],
        G: [
            "用{lang}写一个函数，把列表里的重复元素去掉。",
            "怎么在服务器上配置{tool}？",
            "运行时报错 {err}，怎么解决？",
            "进程和线程有什么区别？",
            "帮我重构一下这段代码，让它更容易读。",
            "如何给我的接口加上 JWT 登录认证？",
            "写一个 Dockerfile 来部署{lang}应用。",
        ],
    },
    "ja": {
        M: [
            "{algo}の最悪計算量はいくつですか？理由も教えてください。",
            "{b}人の中から{a}人を選ぶ方法は何通りありますか？",
            "√3が無理数であることを証明してください。",
            "次のデータの平均と標準偏差を求めてください：{nums}",
            "コインを{b}回投げて表がちょうど{a}回出る確率は？",
            "方程式 {a}x − {b} = {c} を解いてください。",
            "毎秒{c}件のリクエストが来るとき、1日で何件になりますか？",
        ],
        G: [
            "{lang}でリストの重複を取り除く関数を書いてください。",
            "{tool}の設定方法を教えてください。",
            "{err} というエラーが出ます。どうすれば直りますか？",
            "プロセスとスレッドの違いは何ですか？",
            "このコードをリファクタリングして読みやすくしてください。",
            "GitHub Actionsでテストを自動実行するにはどうすればいいですか？",
        ],
    },
    "ko": {
        M: [
            "{algo}의 최악의 경우 시간 복잡도는 얼마인가요? 이유도 설명해 주세요.",
            "{b}명 중에서 {a}명을 뽑는 경우의 수는?",
            "두 짝수의 곱이 4의 배수임을 증명하세요.",
            "다음 값들의 평균과 분산을 구하세요: {nums}",
            "주사위를 {a}번 던져서 6이 한 번 이상 나올 확률은?",
            "방정식 {a}x + {b} = {c}를 푸세요.",
        ],
        G: [
            "{lang}로 리스트에서 중복을 제거하는 함수를 작성해 주세요.",
            "{tool}을 설정하는 방법을 알려주세요.",
            "{err} 오류가 발생합니다. 어떻게 해결하나요?",
            "프로세스와 스레드의 차이점은 무엇인가요?",
            "이 코드를 더 읽기 쉽게 리팩터링해 주세요.",
            "REST API에 로그인 기능을 추가하려면 어떻게 하나요?",
        ],
    },
    "vi": {
        M: [
            "Độ phức tạp thời gian của {algo} trong trường hợp xấu nhất là bao nhiêu?",
            "Có bao nhiêu cách chọn {a} người từ {b} người?",
            "Chứng minh rằng tổng của hai số lẻ là số chẵn.",
            "Tính trung bình và phương sai của {nums}.",
            "Xác suất tung {a} đồng xu được toàn mặt ngửa là bao nhiêu?",
        ],
        G: [
            "Viết hàm {lang} để đọc file JSON và in ra các khóa.",
            "Làm sao để cấu hình {tool}?",
            "Tôi bị lỗi {err}, sửa thế nào?",
            "Sự khác nhau giữa SQL và NoSQL là gì?",
            "Giúp tôi viết test cho API đăng nhập.",
        ],
    },
    "id": {
        M: [
            "Berapa kompleksitas waktu {algo} dalam kasus terburuk?",
            "Ada berapa cara menyusun {a} buku di rak?",
            "Buktikan bahwa jumlah dua bilangan genap adalah genap.",
            "Hitung rata-rata dan simpangan baku dari {nums}.",
            "Berapa peluang mendapat angka 6 minimal sekali dalam {a} lemparan dadu?",
        ],
        G: [
            "Buatkan fungsi {lang} untuk menghapus duplikat dari list.",
            "Bagaimana cara mengatur {tool} di server?",
            "Saya dapat error {err}, bagaimana memperbaikinya?",
            "Apa bedanya proses dan thread?",
            "Tolong review kode ini dan beri saran.",
        ],
    },
    "hi": {
        M: [
            "{algo} की सबसे खराब स्थिति में समय जटिलता क्या है?",
            "{b} लोगों में से {a} लोगों को चुनने के कितने तरीके हैं?",
            "सिद्ध कीजिए कि दो विषम संख्याओं का योग सम होता है।",
            "इन संख्याओं का माध्य और प्रसरण निकालिए: {nums}",
            "एक सिक्के को {a} बार उछालने पर सभी बार चित आने की प्रायिकता क्या है?",
        ],
        G: [
            "{lang} में एक फ़ंक्शन लिखो जो सूची से डुप्लिकेट हटाए।",
            "{tool} को कैसे सेट अप करें?",
            "मुझे {err} एरर आ रहा है, इसे कैसे ठीक करूँ?",
            "प्रोसेस और थ्रेड में क्या अंतर है?",
            "इस कोड को पढ़ने में आसान बनाने के लिए रिफैक्टर करो।",
        ],
    },
    "ar": {
        M: [
            "ما هو التعقيد الزمني لخوارزمية {algo} في أسوأ الحالات؟",
            "بكم طريقة يمكن اختيار {a} أشخاص من {b}؟",
            "أثبت أن مجموع عددين فرديين هو عدد زوجي.",
            "احسب المتوسط والانحراف المعياري للقيم: {nums}",
            "ما احتمال ظهور الرقم 6 مرة واحدة على الأقل عند رمي النرد {a} مرات؟",
        ],
        G: [
            "اكتب دالة بلغة {lang} تحذف العناصر المكررة من قائمة.",
            "كيف أقوم بإعداد {tool} على الخادم؟",
            "يظهر لي الخطأ {err}، كيف أصلحه؟",
            "ما الفرق بين العملية والخيط؟",
            "راجع هذا الكود واقترح تحسينات.",
        ],
    },
    "he": {
        M: [
            "מה סיבוכיות הזמן של {algo} במקרה הגרוע?",
            "בכמה דרכים אפשר לבחור {a} אנשים מתוך {b}?",
            "הוכח שסכום של שני מספרים זוגיים הוא זוגי.",
            "חשב ממוצע וסטיית תקן של {nums}.",
        ],
        G: [
            "כתוב פונקציה ב-{lang} שממיינת רשימה של מילונים לפי מפתח.",
            "איך מגדירים את {tool}?",
            "אני מקבל את השגיאה {err}, איך לתקן?",
            "מה ההבדל בין תהליך לתהליכון?",
        ],
    },
}

#: The deliverable decides: code (general) against a number, a bound or a proof (math), about the same topic.
BOUNDARY: dict[str, list[str]] = {
    M: [
        "How many rows will the cross join of a {big}-row table with a {c}-row table produce?",
        "If our IDs are {a} random hex characters, after how many IDs is a collision more likely than not?",
        "A hash map resizes when it is 75% full and doubles. Starting at 16 buckets, how many resizes happen while inserting {big} keys?",
        "A {a}-digit PIN and an attacker trying {c} codes per second: what is the longest it can hold out?",
        "We shard users by id mod {b}. If we move to mod {c}, what fraction of users land on a different shard?",
        "A dynamic array grows by a fixed {b} slots whenever it is full. What is the total copying cost of n pushes?",
        "How many distinct states does a board of {a}×{a} on/off cells have?",
        "Our p95 latency is {c} ms on each of {a} sequential calls. Roughly what's the p95 of the whole chain? Explain the math.",
        "Is n log n or n^1.1 bigger for large n? Prove it.",
        "If a Bloom-style filter uses {a} bits per element, what false positive rate do we get with the best number of hashes?",
        "Give a tight bound on the number of nodes in an AVL tree of height {a}.",
        "What fraction of {a}-bit integers are divisible by 3? Show the reasoning.",
        "A token bucket holds {c} tokens and refills {a} per second. After {b} seconds idle, how many requests can go through at once?",
        "How many bytes does a bitmap index need for {big} rows and {a} distinct values?",
        "Derive the expected waiting time, in die rolls, until the first six.",
        "How many edges does a complete graph on {b} vertices have, and why?",
        "A cache hit costs {a} ms, a miss {c} ms, and {pct}% of reads miss. What is the mean read latency?",
        "Our service has 3 nines of availability. How many minutes of downtime is that per month?",
        "What's the probability that a randomly shuffled deck of {b} cards has no card in its original place, roughly?",
        "Two sorted arrays of length m and n: what's the minimum number of comparisons needed to merge them in the worst case?",
    ],
    G: [
        "Write a function that returns how many rows a cross join would produce, given the two tables' sizes.",
        "Implement a collision-resistant ID generator in {lang}.",
        "Make my hash map resize when it's 75% full; here's the class.",
        "Write a script that brute-forces a PIN against our local test server so we can test the lockout.",
        "Refactor our shard lookup from id mod N to consistent hashing in {lang}.",
        "Implement a dynamic array in C that grows by 1.5× when full.",
        "Write a Game of Life simulator for a {a}×{a} board in {lang}.",
        "Add p95 latency tracking to our HTTP middleware.",
        "Write a benchmark comparing two sort functions on {big} random ints.",
        "Implement a Bloom filter in {lang} with configurable size.",
        "Write an AVL tree insert with rotations in {lang}.",
        "Write a function that counts how many numbers in a list are divisible by 3.",
        "Add per-user rate limiting to our {lang} HTTP server.",
        "Add a bitmap index to our in-memory table class.",
        "Simulate rolling a die until the first six in {lang} and print the mean wait.",
        "Write code that builds the adjacency list of a complete graph with n vertices.",
        "Show cache hit ratio on our Grafana dashboard from the Redis stats.",
        "Set up an uptime check that alerts when we drop below three nines.",
        "Write a Fisher-Yates shuffle in {lang} and a test that it doesn't lose cards.",
        "Write the merge step of merge sort for two sorted arrays in {lang}.",
        "Write a function that computes compound interest for a savings app, with unit tests.",
        "Code a Monte Carlo estimate of pi in {lang}.",
        "Build a small calculator CLI that evaluates expressions like 3*(4+5).",
        "Write a SQL query that computes each customer's average order value.",
        "Implement matrix multiplication in NumPy without loops.",
        "Write a function that returns the median of a stream of numbers.",
        "Write a prime sieve in {lang} that returns all primes below n.",
        "Make a React hook that shows a countdown in minutes and seconds.",
    ],
}

#: Word problems in everyday or ops wording, without math vocabulary.
WORD: list[str] = [
    "Our office orders {c} coffees a day at ${a}.50 each. What do we spend in a 21-day month?",
    "A podcast episode is {c} minutes at {a}x speed. How long does it take to listen?",
    "I have {big} photos of about {a} MB each and a {c} GB card. Will they fit, and how much is left?",
    "A marathon runner keeps {a} min/km. When does she finish 42.2 km if she starts at 9:00?",
    "Three friends split a ${big} rent in the ratio of their room sizes {a}:{b}:{c}. Who pays what?",
    "The build takes {c} s; we run it {b} times a day across {a} teams. How many hours a week is that?",
    "We print {big} flyers, {pct}% get thrown away unread. How many are read?",
    "If I walk {a} km/h and you cycle {c} km/h from the same place, how far apart are we after {b} minutes?",
    "Our Slack gets {c} messages an hour during working hours. How many in a 5-day week of 8-hour days?",
    "A recipe for {a} people needs {c}0 g of flour. How much for {b} people?",
    "My phone battery drains {pct}% an hour with the screen on. How long does a full charge last?",
    "A bus comes every {b} minutes. If I arrive at a random time, how long do I wait on average?",
    "Each of our {b} pods logs {c} MB an hour and logs are kept {a} weeks. How much disk do logs take?",
    "Two deploys a day, each has a {pct}% chance of needing a rollback. How many rollbacks in a quarter, on average?",
    "If a ticket takes {a} hours and we have {c} tickets and {b} engineers working 6 hours a day, when are we done?",
    "A sensor samples {c} times a second at 2 bytes a sample. How big is a day of data?",
]

#: A quantity asked about code shown: the answer is a number or a bound (math).
CODE_QUANTITY: list[tuple[str, str]] = [
    (
        "How many times is `work()` called for n = {big}?",
        "for i in range(n):\n    for j in range(i, n, 2):\n        work()",
    ),
    ("What is printed at the end?", "x = 0\nfor i in range(1, 6):\n    x += i * i\nprint(x)"),
    (
        "How deep does the recursion go for n = {big}?",
        "def f(n):\n    if n <= 1:\n        return 0\n    return 1 + f(n // 3)",
    ),
    (
        "What's the running time of this in terms of n?",
        "int s = 0;\nfor (int i = 1; i < n; i *= 2)\n    for (int j = 0; j < i; j++)\n        s++;",
    ),
    (
        "How much memory does this allocate in total, as a function of n?",
        "rows = [[0] * n for _ in range(n)]\ncopies = [r[:] for r in rows]",
    ),
    ("What's the expected number of loop iterations?", "do {\n  x = rand() % 6;\n} while (x != 0);"),
    (
        "What value does `total` end with when n = {c}?",
        "let total = 0;\nfor (let i = n; i > 0; i = Math.floor(i / 2)) total += i;",
    ),
    (
        "Give a tight big-Theta bound for this.",
        "def g(a):\n    if len(a) < 2:\n        return\n    g(a[: len(a) // 2])\n    g(a[len(a) // 2 :])\n    sorted(a)",
    ),
]
#: Code shown with a fix or a change asked for (general), even where numbers appear.
CODE_CHANGE: list[tuple[str, str]] = [
    (
        "This is slow for n = {big}, can you make it faster?",
        "for i in range(n):\n    for j in range(n):\n        if a[i] == b[j]:\n            hits += 1",
    ),
    (
        "Why does this print 4 four times instead of 0..3?",
        "for (var i = 0; i < 4; i++) {\n  setTimeout(() => console.log(i), 0);\n}",
    ),
    (
        "Convert this to async/await.",
        "fetch(url).then(r => r.json()).then(data => render(data)).catch(err => log(err));",
    ),
    ("Add type hints and a docstring.", "def avg(xs):\n    return sum(xs) / len(xs)"),
    ("This crashes on an empty list, fix it.", "def mean(xs):\n    return sum(xs) / len(xs)"),
    (
        "Rewrite this loop as a list comprehension.",
        "out = []\nfor x in xs:\n    if x % 2 == 0:\n        out.append(x * x)",
    ),
    (
        "Why is this query slow with {big}k rows?",
        "SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE lower(u.email) = ?;",
    ),
    (
        "Make this thread-safe.",
        "class Counter:\n    def __init__(self):\n        self.n = 0\n    def inc(self):\n        self.n += 1",
    ),
]

#: Statistics and ML: derive or compute (math) against use, configure or explain a library (general).
STATS_ML: dict[str, list[str]] = {
    M: [
        "Show that the expected value of the sample variance with n − 1 in the denominator is σ².",
        "A test has sensitivity {c}% and specificity {c}%; the prevalence is {a}%. What's P(disease | positive)?",
        "Show that the lasso solution for one feature is a soft-thresholded least-squares estimate.",
        "What's the standard error of a proportion of 0.{a} measured on {big} users?",
        "Two variants had {c} and {b} conversions out of {big} visitors each. Compute the z statistic.",
        "Compute the KL divergence between Bernoulli(0.{a}) and Bernoulli(0.5).",
        "Why does the softmax's gradient with cross-entropy simplify to p − y? Derive it.",
        "What's the expected number of distinct values when drawing {c} times with replacement from {big}?",
        "If a model's AUC is 0.{c}, what's the probability it ranks a random positive above a random negative?",
        "Compute the Pearson correlation of x = {nums} with y = 1, 2, 3, 4, 5.",
    ],
    G: [
        "How do I save and load a trained scikit-learn pipeline?",
        "My PyTorch dataloader is the bottleneck, GPU sits at 30%; how do I speed it up?",
        "Write a pandas snippet that computes a rolling 7-day mean per store.",
        "How do I plot a confusion matrix with matplotlib?",
        "Set up MLflow to track our experiments.",
        "How do I use early stopping in Keras?",
        "Write a function that splits a dataframe into train/test by user id so users don't leak.",
        "What's the difference between fit_transform and transform in sklearn?",
        "How do I run XGBoost on the GPU?",
        "Add a learning-rate scheduler to my training script.",
    ],
}
TERSE: dict[str, list[str]] = {
    M: [
        "{a}! + {b}",
        "C({b},{a})?",
        "log2({big})",
        "{a}^{b} mod {c}",
        "P(two sixes, {a} dice)",
        "sum 1..{big}",
        "d/dx x^{a}",
        "{big} in base 2",
        "E[max of {a} dice]",
        "∫ x^{a} dx",
    ],
    G: [
        "git amend message",
        "docker ps all",
        "npm ci vs install",
        "sed replace in place",
        "python venv",
        "kill port {c}{a}0",
        "tar extract gz",
        "ssh key gen",
        "css grid 3 cols",
        "k8s restart pod",
    ],
}

#: A scenario full of numbers that ends by asking for code (general) or for the number itself (math).
SCENARIO_CODE: list[str] = [
    "Our gym has {b} lockers and members come and go all day. Write a {lang} class that hands out free lockers and takes them back.",
    "We get {c} sensor readings a minute and want a 5-minute average on the dashboard. Write the code that keeps the running window in {lang}.",
    "Players earn {c} points per level and a bonus every {a} levels. Implement the score calculation in {lang} with tests.",
    "Implement a sliding-window counter in {lang} that keeps the last {c} seconds of hits in {a} buckets.",
    "Write a {lang} job that pays out {pct}% commission on each sale over ${big} and writes a report per salesperson.",
    "Build a timer that rings every {b} minutes for {a} rounds, with a {c}-second rest between rounds, in {lang}.",
    "Our parking garage charges ${a} for the first hour and ${a}.50 after that, capped at ${c} a day. Write the pricing function and a few unit tests.",
    "Implement pagination in the {tool} API: {c} items per page, max page size {big}, with a next cursor.",
    "Write code that splits a bill among {a} people with the tip at {pct}% and rounds each share to cents so the total still adds up.",
    "Create a cron schedule that runs the cleanup every {b} minutes on weekdays, and the script it calls.",
    "Write a function that checks whether a year is a leap year and test it on {big} and 2000.",
    "Implement a circular buffer of size {c} in {lang} that overwrites the oldest entry.",
    "Write a script that downloads {c} files in parallel with at most {a} at a time.",
]
SCENARIO_NUMBER: list[str] = [
    "Our gym has {b} lockers and about {c} members in the building at peak. If each member takes a locker with probability 0.{a}, how often do we run out?",
    "A nightly job takes {c} minutes and starts at 23:{b}. On how many nights a week does it finish after midnight if it varies by ±{a} minutes uniformly?",
    "Players earn {c} points per level and a bonus of {big} every {a} levels. How many points at level {c}?",
    "A sliding window keeps the last {c} seconds in {a} buckets. How many seconds does one bucket cover, and how stale can a count be?",
    "Sales over ${big} pay {pct}% commission. Someone sold ${big}0 in {a} equal deals. What do they earn?",
    "Our parking garage charges ${a} for the first hour and ${a}.50 after that, capped at ${c}. What does a {b}-hour stay cost?",
    "If pages hold {c} items and there are {big} items, how many pages, and how many items are on the last one?",
    "Splitting a ${big} bill among {a} people with a {pct}% tip, what does each person pay?",
    "Two cleanup jobs run every {a} and every {b} minutes from midnight. When do they first run together?",
    "How many leap years are there between 1901 and {big}?",
    "How long until {c} files are downloaded if {a} download at a time and each takes {b} seconds?",
]
#: Debugging or explaining a bug in an algorithm's code (general), against asking its cost (math).
ALGO_BUG: dict[str, list[str]] = {
    G: [
        "Why does my {algo} crash with a stack overflow on already-sorted input? How do I fix it?",
        "My {algo} returns the wrong index when the item is missing, what's wrong with my code?",
        "My {algo} works in tests but hangs in production on big inputs; what should I look for?",
        "Help me debug my {algo}: it skips the last element.",
        "Why is my hand-written {algo} slower than the library one in {lang}?",
        "Port my {algo} from Python to {lang} and keep the same tests.",
    ],
    M: [
        "What's the worst-case number of recursive calls of {algo} on n items? Prove it.",
        "On how many inputs of size {a} does {algo} hit its worst case?",
        "What's the expected depth of recursion of {algo} on random input of size n?",
        "Prove that {algo} terminates and is correct.",
    ],
}
#: Short requests carrying inline code: fix or explain the code (general), or evaluate it (math).
INLINE: dict[str, list[str]] = {
    G: [
        "`elif` vs `else if` python",
        "why syntax error `for i in range({c}) print(i)`",
        "`let x = {a}; x = {b};` error const?",
        "what does `x ||= {a}` do",
        "fix pls `while (i < {c}) i++`",
        "`a == {b} ? 1 : 0` in python?",
        "bug: `items[{c}]` undefined",
        "`y = x++ + ++x` why warning",
        "rename `n = {b}` to a constant",
        "why is `{a} == '{a}'` true in js",
    ],
    M: [
        "`{c} % {a}`?",
        "value of `sum(range({c}))`",
        "what's `{a} ** {b}`",
        "`bin({big})` by hand",
        "`{big} >> {a}` = ?",
        "how many iterations: `for i in range(0, {big}, {a})`",
    ],
}

#: A property of code: prove it (math) against test or enforce it (general).
CODE_PROPERTY: dict[str, list[str]] = {
    M: [
        "Prove that my {algo} is stable.",
        "Show that this loop keeps the invariant lo <= target index <= hi, and conclude it terminates.",
        "prove the function always returns a permutation of its input",
        "Argue formally that the recursion terminates for every n >= 0.",
        "Prove my dedupe function never returns two equal items.",
        "Give a correctness proof for my two-pointer pair-sum search.",
        "now show it can never return a negative number",
        "Prove that the greedy choice in my scheduler gives an optimal answer.",
    ],
    G: [
        "Add a test that checks my {algo} is stable.",
        "Make sure the function never returns a negative number; clamp it and add an assertion.",
        "write property-based tests (Hypothesis) that the output is a permutation of the input",
        "Add an assert in the loop so it fails fast if lo ever passes hi.",
        "Make my dedupe function keep the first occurrence and return a list, not a set.",
        "now make it return a new list without mutating the input",
        "Refactor my greedy scheduler so the choice rule is pluggable.",
        "Make the recursion iterative so it can't overflow for big n.",
    ],
}

#: A second batch per language: everyday quantities and further math topics, and code asked for about
#: a math topic (general: the deliverable is the code) beside ordinary engineering requests.
LANGUAGES_MORE: dict[str, dict[str, list[str]]] = {
    "pl": {
        M: [
            "Cena spadła o {pct}%, a potem wzrosła o {pct}%. O ile procent zmieniła się w sumie?",
            "Ile krawędzi ma drzewo o {big} wierzchołkach? Uzasadnij.",
            "Oblicz sumę ciągu geometrycznego 1 + 2 + 4 + … + 2^{b}.",
            "Jaka jest wartość oczekiwana liczby oczek przy rzucie dwiema kostkami?",
            "Kolejka dostaje {c} zadań na minutę, a worker robi {b}. Ilu workerów potrzeba?",
            "Ile wynosi {a}^{b} mod {c}? Pokaż obliczenia.",
        ],
        G: [
            "Napisz w {lang} funkcję, która liczy silnię liczby.",
            "Zaimplementuj w {lang} kolejkę priorytetową z testami.",
            "Jak dodać cache w Redisie do mojego endpointu?",
            "Wyjaśnij, czym jest wstrzykiwanie zależności.",
            "Mój kontener restartuje się co {b} minut, jak to zdiagnozować?",
        ],
    },
    "sv": {
        M: [
            "Priset höjs med {pct}% och sänks sedan med {pct}%. Vad blir nettoförändringen?",
            "Hur många kanter har en komplett graf med {b} noder?",
            "Vad är det förväntade antalet kast tills man får en sexa?",
            "Lös andragradsekvationen x² − {a}x + {b} = 0.",
            "En server hanterar {c} anrop i sekunden. Hur många blir det per dygn?",
        ],
        G: [
            "Skriv en funktion i {lang} som beräknar fakulteten av ett tal.",
            "Implementera en binär sökning i {lang} med enhetstester.",
            "Hur lägger jag till caching med Redis i mitt API?",
            "Min tjänst får timeout mot databasen ibland, hur felsöker jag det?",
        ],
    },
    "cs": {
        M: [
            "Cena klesla o {pct} % a pak vzrostla o {pct} %. Jaká je celková změna?",
            "Kolik je podmnožin množiny o {b} prvcích?",
            "Jaká je střední hodnota součtu dvou kostek?",
            "Server zvládne {c} požadavků za sekundu. Kolik je to za den?",
            "Dokaž indukcí, že 1 + 3 + … + (2n − 1) = n².",
        ],
        G: [
            "Napiš v {lang} funkci, která spočítá faktoriál.",
            "Implementuj v {lang} LRU cache a přidej testy.",
            "Jak nastavit logování v aplikaci ve Springu?",
            "Aplikace padá s chybou {err}, kde hledat příčinu?",
        ],
    },
    "nl": {
        M: [
            "De prijs stijgt {pct}% en daalt daarna {pct}%. Wat is de netto verandering?",
            "Hoeveel deelverzamelingen heeft een verzameling van {b} elementen?",
            "Wat is de verwachte waarde van de som van twee dobbelstenen?",
            "Bewijs met inductie dat 2^n ≥ n + 1.",
            "Onze API krijgt {c} verzoeken per seconde. Hoeveel is dat per dag?",
        ],
        G: [
            "Schrijf in {lang} een functie die de faculteit berekent.",
            "Implementeer een LRU-cache in {lang} met tests.",
            "Hoe voeg ik caching met Redis toe aan mijn endpoint?",
            "Onze container herstart steeds, hoe zoek ik uit waarom?",
        ],
    },
    "ru": {
        M: [
            "Цена выросла на {pct}%, а потом упала на {pct}%. Каково итоговое изменение?",
            "Сколько рёбер у полного графа на {b} вершинах?",
            "Чему равно математическое ожидание суммы очков на двух кубиках?",
            "Очередь получает {c} задач в минуту, воркер делает {b}. Сколько нужно воркеров?",
            "Найдите предел (1 + 1/n)^n при n → ∞ и объясните.",
        ],
        G: [
            "Напиши на {lang} функцию, которая считает факториал.",
            "Реализуй LRU-кэш на {lang} с тестами.",
            "Как добавить кэширование через Redis в мой API?",
            "Контейнер постоянно перезапускается, как понять почему?",
            "Сделай код-ревью этого модуля, пожалуйста.",
        ],
    },
    "uk": {
        M: [
            "Ціна зросла на {pct}%, а потім знизилася на {pct}%. Яка загальна зміна?",
            "Скільки ребер має повний граф на {b} вершинах?",
            "Яке математичне сподівання суми очок на двох кубиках?",
            "Сервер обробляє {c} запитів за секунду. Скільки це за добу?",
        ],
        G: [
            "Напиши на {lang} функцію, яка рахує факторіал.",
            "Реалізуй чергу з пріоритетом на {lang} з тестами.",
            "Як додати кешування через Redis у мій API?",
            "Контейнер постійно перезапускається, як з'ясувати чому?",
        ],
    },
    "tr": {
        M: [
            "Fiyat önce %{pct} artıp sonra %{pct} düşerse net değişim ne olur?",
            "{b} düğümlü tam bir grafta kaç kenar vardır?",
            "İki zarın toplamının beklenen değeri nedir?",
            "Tümevarımla 1 + 2 + … + n = n(n+1)/2 olduğunu kanıtlayın.",
        ],
        G: [
            "{lang} ile faktöriyel hesaplayan bir fonksiyon yaz.",
            "{lang} ile testleriyle birlikte bir LRU önbellek yaz.",
            "API'me Redis ile önbellek nasıl eklerim?",
            "Konteynerim sürekli yeniden başlıyor, nedenini nasıl bulurum?",
        ],
    },
    "zh": {
        M: [
            "价格先涨{pct}%再降{pct}%，最终变化了多少？",
            "有{b}个顶点的完全图有多少条边？",
            "掷两个骰子，点数之和的期望是多少？",
            "队列每分钟进来{c}个任务，每个 worker 每分钟处理{b}个，需要几个 worker？",
            "用数学归纳法证明 2^n ≥ n + 1。",
        ],
        G: [
            "用{lang}写一个计算阶乘的函数。",
            "用{lang}实现一个 LRU 缓存，并写单元测试。",
            "怎么给我的接口加 Redis 缓存？",
            "容器一直重启，怎么排查原因？",
        ],
    },
    "ja": {
        M: [
            "価格が{pct}%上がってから{pct}%下がると、全体で何%変わりますか？",
            "頂点が{b}個の完全グラフの辺の数はいくつですか？",
            "サイコロを2個振ったときの目の和の期待値を求めてください。",
            "数学的帰納法で 1 + 2 + … + n = n(n+1)/2 を証明してください。",
            "キューに毎分{c}件のジョブが来て、ワーカー1台が毎分{b}件処理します。何台必要ですか？",
        ],
        G: [
            "{lang}で階乗を計算する関数を書いてください。",
            "{lang}でLRUキャッシュを実装して、テストも書いてください。",
            "APIにRedisのキャッシュを追加する方法は？",
            "コンテナが再起動を繰り返します。原因の調べ方を教えてください。",
            "このコードをレビューしてください。",
        ],
    },
    "ko": {
        M: [
            "가격이 {pct}% 오른 뒤 {pct}% 내리면 전체 변화율은?",
            "정점이 {b}개인 완전 그래프의 간선 수는?",
            "주사위 두 개를 던질 때 눈의 합의 기댓값은?",
            "수학적 귀납법으로 1 + 2 + … + n = n(n+1)/2를 증명하세요.",
            "서버가 초당 {c}건을 처리하면 하루에 몇 건인가요?",
        ],
        G: [
            "{lang}로 팩토리얼을 계산하는 함수를 작성해 주세요.",
            "{lang}로 LRU 캐시를 구현하고 테스트도 작성해 주세요.",
            "API에 Redis 캐시를 추가하는 방법은?",
            "컨테이너가 계속 재시작됩니다. 원인을 어떻게 찾나요?",
        ],
    },
    "hi": {
        M: [
            "कीमत पहले {pct}% बढ़ी और फिर {pct}% घटी। कुल बदलाव कितना हुआ?",
            "{b} शीर्षों वाले पूर्ण ग्राफ़ में कितने किनारे होते हैं?",
            "दो पासों के योग का अपेक्षित मान क्या है?",
            "सर्वर प्रति सेकंड {c} अनुरोध संभालता है। एक दिन में कितने हुए?",
        ],
        G: [
            "{lang} में फ़ैक्टोरियल निकालने वाला फ़ंक्शन लिखो।",
            "{lang} में LRU कैश बनाओ और उसके टेस्ट भी लिखो।",
            "मेरे API में Redis कैश कैसे जोड़ूँ?",
            "मेरा कंटेनर बार-बार रीस्टार्ट हो रहा है, कारण कैसे पता करूँ?",
        ],
    },
    "fi": {
        M: [
            "Hinta nousee {pct} % ja laskee sitten {pct} %. Paljonko se muuttui yhteensä?",
            "Montako särmää on täydellisessä verkossa, jossa on {b} solmua?",
            "Mikä on kahden nopan silmälukujen summan odotusarvo?",
        ],
        G: [
            "Kirjoita {lang}-funktio, joka laskee kertoman.",
            "Miten lisään Redis-välimuistin rajapintaani?",
            "Konttini käynnistyy jatkuvasti uudelleen, miten selvitän syyn?",
        ],
    },
    "da": {
        M: [
            "Prisen stiger {pct} % og falder derefter {pct} %. Hvad er den samlede ændring?",
            "Hvor mange kanter har en komplet graf med {b} knuder?",
            "Bevis ved induktion at 1 + 2 + … + n = n(n+1)/2.",
        ],
        G: [
            "Skriv en funktion i {lang} der beregner fakultet.",
            "Hvordan tilføjer jeg Redis-cache til mit API?",
            "Min container genstarter hele tiden, hvordan finder jeg årsagen?",
        ],
    },
    "el": {
        M: [
            "Η τιμή αυξάνεται κατά {pct}% και μετά μειώνεται κατά {pct}%. Ποια είναι η συνολική μεταβολή;",
            "Πόσες ακμές έχει ένας πλήρης γράφος με {b} κορυφές;",
            "Ποια είναι η αναμενόμενη τιμή του αθροίσματος δύο ζαριών;",
        ],
        G: [
            "Γράψε μια συνάρτηση σε {lang} που υπολογίζει το παραγοντικό.",
            "Πώς προσθέτω cache με Redis στο API μου;",
            "Το container μου κάνει συνέχεια restart, πώς βρίσκω την αιτία;",
        ],
    },
    "hu": {
        M: [
            "Az ár {pct}%-kal nő, majd {pct}%-kal csökken. Mennyi a teljes változás?",
            "Hány éle van egy {b} csúcsú teljes gráfnak?",
            "Mennyi két kocka összegének várható értéke?",
        ],
        G: [
            "Írj {lang} függvényt, ami kiszámolja a faktoriálist.",
            "Hogyan adok Redis cache-t az API-mhoz?",
            "A konténerem folyton újraindul, hogyan derítsem ki az okát?",
        ],
    },
    "es": {
        M: [
            "El precio sube un {pct} % y luego baja un {pct} %. ¿Cuál es el cambio neto?",
            "¿Cuál es el valor esperado de la suma de dos dados?",
        ],
        G: [
            "Escribe en {lang} una función que calcule el factorial.",
        ],
    },
    "fr": {
        M: [
            "Le prix augmente de {pct} % puis baisse de {pct} %. Quelle est la variation totale ?",
            "Combien d'arêtes a un graphe complet à {b} sommets ?",
        ],
        G: [
            "Écris en {lang} une fonction qui calcule la factorielle.",
            "Implémente en {lang} un cache LRU avec des tests.",
        ],
    },
    "de": {
        M: [
            "Der Preis steigt um {pct} % und fällt dann um {pct} %. Wie groß ist die Gesamtänderung?",
            "Wie viele Kanten hat ein vollständiger Graph mit {b} Knoten?",
        ],
        G: [
            "Schreib in {lang} eine Funktion, die die Fakultät berechnet.",
        ],
    },
}


class Prompts(list[dict[str, str]]):
    """Training rows as they are written: one by one, or each template filled twice (near-duplicate
    fills share a fold in calibration). Shared by this module and `routing_train_fourth`."""

    def add(self, category: str, prompt: str, kind: str, lang: str = "en") -> None:
        self.append({"prompt": prompt, "category": category, "kind": kind, "lang": lang})

    def each(
        self, templates: list[str], make: Callable[[str], str], category: str, kind: str, lang: str = "en"
    ) -> None:
        for template in templates:
            for _ in range(2):
                self.add(category, make(template), kind, lang)


def rows() -> list[dict[str, str]]:
    """The fresh prompts, each template filled twice (near-duplicate fills share a fold in calibration)."""
    out = Prompts()
    add, each = out.add, out.each

    for languages in (LANGUAGES, LANGUAGES_MORE):
        for lang, by_category in languages.items():
            for category, templates in by_category.items():
                each(templates, fill, category, "non-english", lang)
    for category, templates in BOUNDARY.items():
        each(templates, fill, category, "boundary")
    each(WORD, fill, M, "word")
    for category, pairs in ((M, CODE_QUANTITY), (G, CODE_CHANGE)):
        for question, body in pairs:
            for _ in range(2):
                block = f"```\n{body}\n```"
                prompt = f"{fill(question)}\n\n{block}" if rng.random() < 0.6 else f"{block}\n{fill(question)}"
                add(category, prompt, "code")
    for category, templates in STATS_ML.items():
        each(templates, fill, category, "stats-ml")
    each(SCENARIO_CODE, fill, G, "boundary")
    each(SCENARIO_NUMBER, fill, M, "word")
    for category, templates in ALGO_BUG.items():
        each(templates, fill, category, "boundary")
    for category, templates in CODE_PROPERTY.items():
        each(templates, fill, category, "boundary")
    for category, templates in INLINE.items():
        each(templates, fill, category, "terse")
    for category, templates in TERSE.items():
        each(templates, fill, category, "terse")
    return out
