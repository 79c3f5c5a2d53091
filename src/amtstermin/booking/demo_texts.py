"""The demo office's own texts in all seven languages: services, the document catalogue, the
services' notes, the way in, the accessibility statement and an e-mail paragraph.

Written as a public office writes to the people it serves: formal, plain, the same term for the
same thing. Where citizens meet a German word on letters and forms (Anmeldung,
Wohnungsgeberbestätigung, Führungszeugnis ...), it follows in parentheses.
"""

from __future__ import annotations

Text = dict[str, str]  # language code → text
LANGUAGES = ("de", "en", "tr", "ar", "uk", "ru", "pl")


def t(de: str, en: str, tr: str, ar: str, uk: str, ru: str, pl: str) -> Text:
    """One text in German, English, Turkish, Arabic, Ukrainian, Russian and Polish."""
    return dict(zip(LANGUAGES, (de, en, tr, ar, uk, ru, pl), strict=True))


EXAMPLE_FEE = t(
    "Beispielgebühr; maßgeblich ist die aktuelle Gebührenordnung.",
    "Example fee; the current fee schedule applies.",
    "Örnek ücrettir; geçerli olan güncel harç tarifesidir.",
    "رسوم على سبيل المثال؛ والمعتمد هو جدول الرسوم الساري.",
    "Приклад збору; діє чинний перелік зборів.",
    "Пример сбора; действует текущий перечень сборов.",
    "Przykładowa opłata; obowiązuje aktualny taryfikator opłat.",
)
EXAMPLE_FEE_PER_PAGE = t(
    "Beispielgebühr je Seite; maßgeblich ist die aktuelle Gebührenordnung.",
    "Example fee per page; the current fee schedule applies.",
    "Sayfa başına örnek ücrettir; geçerli olan güncel harç tarifesidir.",
    "رسوم لكل صفحة على سبيل المثال؛ والمعتمد هو جدول الرسوم الساري.",
    "Приклад збору за сторінку; діє чинний перелік зборів.",
    "Пример сбора за страницу; действует текущий перечень сборов.",
    "Przykładowa opłata za stronę; obowiązuje aktualny taryfikator opłat.",
)

# --- The document catalogue: names and general notes ---------------------------------------

ID_OR_PASSPORT = t(
    "Personalausweis oder Reisepass",
    "Identity card or passport",
    "Kimlik kartı veya pasaport",
    "بطاقة الهوية أو جواز السفر",
    "Посвідчення особи або паспорт",
    "Удостоверение личности или паспорт",
    "Dowód osobisty lub paszport",
)
PHOTO = t(
    "Aktuelles biometrisches Passfoto",
    "Recent biometric passport photo",
    "Güncel biyometrik vesikalık fotoğraf",
    "صورة شخصية بيومترية حديثة",
    "Актуальне біометричне фото на паспорт",
    "Актуальная биометрическая фотография на паспорт",
    "Aktualne zdjęcie biometryczne",
)
PHOTO_NOTE = t(
    "Nicht älter als sechs Monate; auch digital vom zertifizierten Fotografen.",
    "Not older than six months; digital photos from a certified photographer work too.",
    "Altı aydan eski olmamalıdır; sertifikalı fotoğrafçıdan dijital fotoğraf da kabul edilir.",
    "ألا يزيد عمرها على ستة أشهر؛ ويمكن أيضًا تقديمها رقميًا من مصوّر معتمد.",
    "Не старше шести місяців; також у цифровому вигляді від сертифікованого фотографа.",
    "Не старше шести месяцев; можно также в цифровом виде от сертифицированного фотографа.",
    "Nie starsze niż sześć miesięcy; także w formie cyfrowej od certyfikowanego fotografa.",
)
CERTIFICATE = t(
    "Geburts- oder Heiratsurkunde",
    "Birth or marriage certificate",
    "Doğum veya evlilik belgesi",
    "شهادة الميلاد أو شهادة الزواج",
    "Свідоцтво про народження або про шлюб",
    "Свидетельство о рождении или о браке",
    "Akt urodzenia lub akt małżeństwa",
)
CERTIFICATE_NOTE = t(
    "Im Original; ausländische Urkunden mit beglaubigter Übersetzung.",
    "Originals; foreign certificates with a certified translation.",
    "Aslı getirilmelidir; yabancı belgeler onaylı tercümeleriyle birlikte.",
    "النسخة الأصلية؛ والوثائق الصادرة في الخارج مع ترجمة معتمدة.",
    "В оригіналі; іноземні документи — із засвідченим перекладом.",
    "В оригинале; иностранные документы — с заверенным переводом.",
    "W oryginale; dokumenty zagraniczne z tłumaczeniem przysięgłym.",
)
OLD_PASSPORT = t(
    "Bisheriger Reisepass",
    "Current passport",
    "Mevcut pasaport",
    "جواز السفر الحالي",
    "Попередній паспорт",
    "Прежний паспорт",
    "Dotychczasowy paszport",
)
ID_CARD = t(
    "Personalausweis",
    "Identity card",
    "Kimlik kartı",
    "بطاقة الهوية",
    "Посвідчення особи",
    "Удостоверение личности",
    "Dowód osobisty",
)
CHILD_BIRTH_CERTIFICATE = t(
    "Geburtsurkunde des Kindes",
    "The child's birth certificate",
    "Çocuğun doğum belgesi",
    "شهادة ميلاد الطفل",
    "Свідоцтво про народження дитини",
    "Свидетельство о рождении ребёнка",
    "Akt urodzenia dziecka",
)
PARENTS_CONSENT = t(
    "Zustimmung beider Sorgeberechtigten",
    "Consent of both parents",
    "Velayet sahibi her iki ebeveynin onayı",
    "موافقة كلا الوالدين الحاضنين",
    "Згода обох батьків, які мають батьківські права",
    "Согласие обоих родителей, имеющих родительские права",
    "Zgoda obojga rodziców sprawujących władzę rodzicielską",
)
PARENTS_ID = t(
    "Ausweis der Eltern",
    "Parents' identity cards",
    "Ebeveynlerin kimlik belgeleri",
    "بطاقات هوية الوالدين",
    "Посвідчення особи батьків",
    "Удостоверения личности родителей",
    "Dowody tożsamości rodziców",
)
LANDLORD = t(
    "Wohnungsgeberbestätigung",
    "Landlord's confirmation of moving in (Wohnungsgeberbestätigung)",
    "Ev sahibinin taşınma onayı (Wohnungsgeberbestätigung)",
    "تأكيد مؤجّر السكن على الانتقال (Wohnungsgeberbestätigung)",
    "Підтвердження заселення від орендодавця (Wohnungsgeberbestätigung)",
    "Подтверждение о заселении от арендодателя (Wohnungsgeberbestätigung)",
    "Potwierdzenie wprowadzenia się od wynajmującego (Wohnungsgeberbestätigung)",
)
ADDRESS_ABROAD = t(
    "Neue Anschrift im Ausland",
    "New address abroad",
    "Yurt dışındaki yeni adres",
    "العنوان الجديد في الخارج",
    "Нова адреса за кордоном",
    "Новый адрес за границей",
    "Nowy adres za granicą",
)
FEE_EXEMPTION = t(
    "Nachweis für eine Gebührenbefreiung",
    "Proof of fee exemption",
    "Harç muafiyeti belgesi",
    "إثبات الإعفاء من الرسوم",
    "Підтвердження звільнення від збору",
    "Документ об освобождении от сбора",
    "Dokument potwierdzający zwolnienie z opłaty",
)
ORIGINALS = t(
    "Originaldokumente",
    "Original documents",
    "Belgelerin asılları",
    "الوثائق الأصلية",
    "Оригінали документів",
    "Оригиналы документов",
    "Oryginały dokumentów",
)
COPIES = t(
    "Kopien der Dokumente",
    "Copies of the documents",
    "Belgelerin fotokopileri",
    "نسخ من الوثائق",
    "Копії документів",
    "Копии документов",
    "Kopie dokumentów",
)
OLD_DOCUMENT = t(
    "Bisheriges Dokument",
    "The old document",
    "Eski belge",
    "الوثيقة القديمة",
    "Попередній документ",
    "Прежний документ",
    "Dotychczasowy dokument",
)
PIN_LETTER = t(
    "PIN-Brief (beim Personalausweis)",
    "PIN letter (for identity cards)",
    "PIN mektubu (kimlik kartı için)",
    "رسالة الرقم السري PIN (لبطاقة الهوية)",
    "Лист із PIN-кодом (для посвідчення особи)",
    "Письмо с PIN-кодом (для удостоверения личности)",
    "List z kodem PIN (w przypadku dowodu osobistego)",
)
AUTHORISATION = t(
    "Vollmacht und Ausweis des Abholenden",
    "Authorisation and ID of the collector",
    "Teslim alacak kişinin vekâletnamesi ve kimliği",
    "التوكيل وبطاقة هوية الشخص الذي يستلم الوثيقة",
    "Довіреність і посвідчення особи того, хто отримує документ",
    "Доверенность и удостоверение личности получателя",
    "Pełnomocnictwo i dowód tożsamości osoby odbierającej",
)
# The catalogue's general notes, by the entry's German name; services add their own.
GENERAL_NOTES = {PHOTO["de"]: PHOTO_NOTE, CERTIFICATE["de"]: CERTIFICATE_NOTE}

# --- What each service adds to an entry -------------------------------------------------------

OLD_ID_NOTE = t(
    "Das bisherige Dokument, auch wenn es abgelaufen ist.",
    "The current document, even if it has expired.",
    "Mevcut belge, süresi dolmuş olsa bile.",
    "الوثيقة الحالية، حتى لو انتهت صلاحيتها.",
    "Наявний документ, навіть якщо строк його дії минув.",
    "Имеющийся документ, даже если срок его действия истёк.",
    "Dotychczasowy dokument, nawet jeśli stracił ważność.",
)
FIRST_APPLICATION_NOTE = t(
    "Nur bei der ersten Beantragung oder nach Namensänderung.",
    "Only for a first application or after a change of name.",
    "Yalnızca ilk başvuruda veya ad ya da soyadı değişikliğinden sonra.",
    "فقط عند التقديم لأول مرة أو بعد تغيير الاسم.",
    "Лише під час першого оформлення або після зміни прізвища чи імені.",
    "Только при первом оформлении или после смены фамилии или имени.",
    "Tylko przy pierwszym wniosku lub po zmianie nazwiska albo imienia.",
)
CONSENT_NOTE = t(
    "Schriftlich, mit Ausweiskopie, falls ein Elternteil nicht mitkommt.",
    "In writing with a copy of their ID if one parent does not come.",
    "Ebeveynlerden biri gelemiyorsa yazılı olarak ve kimlik fotokopisiyle birlikte.",
    "كتابيًا مع نسخة من بطاقة الهوية، إذا لم يحضر أحد الوالدين.",
    "Письмово, з копією посвідчення особи, якщо один із батьків не приходить.",
    "В письменном виде, с копией удостоверения личности, если один из родителей не приходит.",
    "Na piśmie, z kopią dowodu tożsamości, jeśli jedno z rodziców nie przychodzi.",
)
LANDLORD_NOTE = t(
    "Vom Vermieter unterschrieben.",
    "Signed by the landlord.",
    "Ev sahibi tarafından imzalanmış olmalıdır.",
    "موقَّع من المؤجِّر.",
    "Підписане орендодавцем.",
    "С подписью арендодателя.",
    "Podpisane przez wynajmującego.",
)
FIRST_REGISTRATION_NOTE = t(
    "Für Familien, die zum ersten Mal in Deutschland gemeldet werden.",
    "For families registering in Germany for the first time.",
    "Almanya'da ilk kez kayıt yaptıran aileler için.",
    "للعائلات التي تُسجَّل في ألمانيا لأول مرة.",
    "Для сімей, які вперше реєструються в Німеччині.",
    "Для семей, которые впервые регистрируются в Германии.",
    "Dla rodzin meldujących się w Niemczech po raz pierwszy.",
)
IF_KNOWN_NOTE = t(
    "Falls schon bekannt.",
    "If already known.",
    "Biliniyorsa.",
    "إن كان معروفًا.",
    "Якщо вже відома.",
    "Если он уже известен.",
    "Jeśli jest już znany.",
)
IF_APPLICABLE_NOTE = t(
    "Falls zutreffend, z. B. für ein Ehrenamt.",
    "If applicable, e.g. for voluntary work.",
    "Varsa, örneğin gönüllü çalışma için.",
    "إن وُجد، مثلًا للعمل التطوعي.",
    "Якщо стосується, наприклад для волонтерської діяльності.",
    "Если применимо, например для волонтёрской деятельности.",
    "Jeśli dotyczy, np. w przypadku wolontariatu.",
)
PER_PAGE_NOTE = t(
    "Je Seite eine Kopie; wir kopieren auch vor Ort gegen Gebühr.",
    "One copy per page; we can also copy on site for a fee.",
    "Her sayfa için bir fotokopi; ücret karşılığında burada da fotokopi çekebiliriz.",
    "نسخة واحدة لكل صفحة؛ ويمكننا أيضًا النسخ في المكتب مقابل رسوم.",
    "По одній копії кожної сторінки; за плату ми можемо зробити копії на місці.",
    "По одной копии каждой страницы; за плату мы можем сделать копии на месте.",
    "Jedna kopia każdej strony; odpłatnie możemy też wykonać kopie na miejscu.",
)
INVALIDATED_NOTE = t(
    "Es wird entwertet.",
    "It will be invalidated.",
    "Bu belge geçersiz kılınır.",
    "سيتم إبطالها.",
    "Його буде анульовано.",
    "Он будет аннулирован.",
    "Zostanie unieważniony.",
)
SOMEONE_ELSE_NOTE = t(
    "Nur wenn jemand anderes abholt.",
    "Only if someone else collects.",
    "Yalnızca belgeyi başka biri teslim alacaksa.",
    "فقط إذا كان الاستلام من قِبل شخص آخر.",
    "Лише якщо документ отримує інша особа.",
    "Только если документ получает другой человек.",
    "Tylko jeśli odbiera inna osoba.",
)

# --- The office ---------------------------------------------------------------------------

ADDRESS_NOTE = t(
    "Eingang B im Innenhof, Erdgeschoss. Der Zugang ist stufenlos; Behindertenparkplätze "
    "finden Sie direkt vor dem Eingang.",
    "Entrance B in the inner courtyard, ground floor. Step-free access; disabled parking "
    "spaces are right in front of the entrance.",
    "Giriş B, iç avluda, zemin kat. Girişte basamak yoktur; engelli park yerleri girişin "
    "hemen önündedir.",
    "المدخل B في الفناء الداخلي، الطابق الأرضي. الدخول بدون درج، وتوجد مواقف سيارات لذوي "
    "الإعاقة أمام المدخل مباشرة.",
    "Вхід B у внутрішньому дворі, перший поверх. Вхід без сходинок; паркувальні місця для "
    "людей з інвалідністю — одразу перед входом.",
    "Вход B во внутреннем дворе, первый этаж. Вход без ступенек; парковочные места для людей "
    "с инвалидностью — прямо перед входом.",
    "Wejście B na dziedzińcu wewnętrznym, parter. Wejście bez schodów; miejsca parkingowe dla "
    "osób z niepełnosprawnościami znajdują się tuż przed wejściem.",
)
ACCESSIBILITY_STATEMENT = t(
    "Bekannte Einschränkung: Die Aufrufanzeige im Wartebereich wird nicht angesagt. Wenn Sie "
    "schlecht sehen, sagen Sie bitte am Empfang Bescheid; wir rufen Sie dann persönlich auf.",
    "Known limitation: calls on the display in the waiting area are not announced aloud. If "
    "you have difficulty seeing, please tell us at the reception desk and we will call you in "
    "person.",
    "Bilinen kısıtlama: Bekleme alanındaki ekranda yapılan çağrılar sesli olarak duyurulmaz. "
    "Görme güçlüğünüz varsa lütfen danışma masasına bildirin; sizi şahsen çağırırız.",
    "قيد معروف: لا يُعلَن عن النداءات المعروضة على الشاشة في منطقة الانتظار بصوت مسموع. إذا "
    "كنت تعاني من ضعف في البصر، فيرجى إبلاغ موظفي الاستقبال، وسننادي عليك شخصيًا.",
    "Відоме обмеження: виклики на табло в зоні очікування не оголошуються голосом. Якщо у вас "
    "проблеми із зором, будь ласка, повідомте про це на рецепції — ми запросимо вас особисто.",
    "Известное ограничение: вызовы на табло в зоне ожидания не объявляются голосом. Если у вас "
    "проблемы со зрением, пожалуйста, сообщите об этом на стойке регистрации — мы пригласим "
    "вас лично.",
    "Znane ograniczenie: wywołania na tablicy w poczekalni nie są zapowiadane głosowo. Jeśli "
    "mają Państwo trudności ze wzrokiem, prosimy powiedzieć o tym w recepcji — wywołamy "
    "Państwa osobiście.",
)
# The office's own paragraph in the e-mail that confirms a booking.
CONFIRMED_PARAGRAPH = t(
    "Bitte bringen Sie alle Unterlagen im Original mit. Wenn Sie den Termin nicht wahrnehmen "
    "können, sagen Sie ihn bitte ab – dann kann jemand anderes ihn nutzen.",
    "Please bring all documents in the original. If you cannot keep the appointment, please "
    "cancel it so that someone else can use it.",
    "Lütfen tüm belgelerin asıllarını yanınızda getirin. Randevunuza gelemeyecekseniz lütfen "
    "iptal edin; böylece bu saati başka biri kullanabilir.",
    "يرجى إحضار جميع الوثائق الأصلية. وإذا تعذّر عليك الحضور في الموعد، فيرجى إلغاؤه ليتمكن "
    "شخص آخر من الاستفادة منه.",
    "Будь ласка, візьміть із собою всі документи в оригіналі. Якщо ви не зможете прийти, "
    "будь ласка, скасуйте запис — тоді цей час зможе використати хтось інший.",
    "Пожалуйста, возьмите с собой все документы в оригинале. Если вы не сможете прийти, "
    "пожалуйста, отмените запись — тогда этим временем сможет воспользоваться кто-то другой.",
    "Prosimy zabrać ze sobą wszystkie dokumenty w oryginale. Jeśli nie mogą Państwo przyjść, "
    "prosimy odwołać wizytę — wtedy termin będzie mógł wykorzystać ktoś inny.",
)


# --- The start page's groups and the accessibility statement's method -----------------------

CATEGORY_NAMES: dict[str, Text] = {
    "documents": t(
        "Ausweise und Pässe",
        "ID cards and passports",
        "Kimlik kartları ve pasaportlar",
        "بطاقات الهوية وجوازات السفر",
        "Посвідчення особи та паспорти",
        "Удостоверения личности и паспорта",
        "Dowody osobiste i paszporty",
    ),
    "registration": t(
        "Meldewesen",
        "Registration of address",
        "İkamet kaydı (Meldewesen)",
        "تسجيل السكن (Meldewesen)",
        "Реєстрація місця проживання",
        "Регистрация по месту жительства",
        "Meldunek (Meldewesen)",
    ),
    "certificates": t(
        "Bescheinigungen",
        "Certificates",
        "Belgeler ve onaylar",
        "الشهادات والتصديقات",
        "Довідки та засвідчення",
        "Справки и заверения",
        "Zaświadczenia i poświadczenia",
    ),
}

STATEMENT_METHOD = t(
    "Selbstbewertung mit automatisierten Tests (axe-core, WCAG 2.1 A und AA) und manuellen "
    "Tests mit Tastatur und Screenreader.",
    "Self-assessment with automated tests (axe-core, WCAG 2.1 A and AA) and manual tests with "
    "the keyboard and a screen reader.",
    "Otomatik testler (axe-core, WCAG 2.1 A ve AA) ile klavye ve ekran okuyucuyla yapılan "
    "manuel testlere dayanan öz değerlendirme.",
    "تقييم ذاتي باختبارات آلية (axe-core، WCAG 2.1 A وAA) واختبارات يدوية باستخدام لوحة "
    "المفاتيح وقارئ الشاشة.",
    "Самооцінювання за допомогою автоматизованих тестів (axe-core, WCAG 2.1 A і AA) та ручних "
    "тестів із клавіатурою і програмою зчитування з екрана.",
    "Самооценка с помощью автоматических тестов (axe-core, WCAG 2.1 A и AA) и ручных тестов "
    "с клавиатурой и программой чтения с экрана.",
    "Samoocena na podstawie testów automatycznych (axe-core, WCAG 2.1 A i AA) oraz testów "
    "ręcznych z użyciem klawiatury i czytnika ekranu.",
)
