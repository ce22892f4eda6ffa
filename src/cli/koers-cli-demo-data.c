/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli-demo-data.c: word lists for fictional demo files. Every person
 * and organisation here is made up; names are common given and family
 * names combined at random. The notes are in Dutch on purpose: they are
 * sample data as a Dutch volunteer writes it, not user interface text. */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli-demo.h"

#define LIST(...) (const char *const[]) { __VA_ARGS__, NULL }

const KoersDemoOrigin koers_demo_origins[] = {
  { "Arabic", 25, LIST ("SY", "IQ", "SD", "YE", "LY", "MA"), LIST ("ar"),
    LIST ("محمد|Mohammed", "أحمد|Ahmed", "علي|Ali", "عمر|Omar", "خالد|Khaled", "يوسف|Youssef",
          "حسن|Hassan", "إبراهيم|Ibrahim", "مصطفى|Mustafa", "عبد الرحمن|Abdulrahman",
          "طارق|Tarek", "سامر|Samer"),
    LIST ("فاطمة|Fatima", "مريم|Mariam", "عائشة|Aisha", "نور|Nour", "ليلى|Layla", "سارة|Sara",
          "زينب|Zainab", "هدى|Huda", "رنا|Rana", "أمل|Amal"),
    LIST ("الحداد|Al-Haddad", "الخطيب|Al-Khatib", "النجار|Al-Najjar", "منصور|Mansour",
          "الشامي|Al-Shami", "عبد الله|Abdullah", "القاسم|Al-Qasim", "حمدان|Hamdan",
          "العبيدي|Al-Obaidi", "إدريس|Idris", "عثمان|Osman", "محمد|Mohamed"),
    TRUE },
  { "Ge'ez (Tigrinya)", 13, LIST ("ER"), LIST ("ti"),
    LIST ("ዮናስ|Yonas", "ተስፋይ|Tesfay", "ሃብተ|Habte", "ሰመረ|Semere", "ዳዊት|Dawit", "ክብሮም|Kibrom",
          "ኣማኑኤል|Amanuel", "መርሃዊ|Merhawi", "ብርሃነ|Berhane", "ሙሴ|Muse"),
    LIST ("ሰላም|Selam", "ሳባ|Saba", "ለምለም|Lemlem", "ኣስመረት|Asmeret", "ብርኽቲ|Birkti", "ሄለን|Helen",
          "ፍዮሪ|Fiori", "ሉላ|Lula"),
    LIST ("ገብረሂወት|Gebrehiwet", "ተኽለ|Tekle", "ወልደሚካኤል|Weldemichael", "ሃይለ|Haile",
          "ገብረመድህን|Gebremedhin", "ተወልደ|Tewelde", "ኪዳነ|Kidane", "ሓጎስ|Hagos",
          "ገብረየሱስ|Gebreyesus", "ዘርኣይ|Zerai"),
    TRUE },
  { "Ge'ez (Amharic)", 7, LIST ("ET"), LIST ("am", "om"),
    LIST ("አበበ|Abebe", "ከበደ|Kebede", "ታደሰ|Tadesse", "ግርማ|Girma", "ደረጀ|Dereje", "ሰለሞን|Solomon",
          "ዮሐንስ|Yohannes"),
    LIST ("መሰረት|Meseret", "ጥሩነሽ|Tirunesh", "ወርቅነሽ|Worknesh", "ሕይወት|Hiwot", "ቤተልሔም|Betelhem",
          "ትዕግሥት|Tigist"),
    LIST ("ተስፋዬ|Tesfaye", "በቀለ|Bekele", "ገብሬ|Gebre", "ኃይሌ|Haile", "ወልዱ|Woldu", "አለሙ|Alemu",
          "ደምሴ|Demissie"),
    TRUE },
  { "Persian", 20, LIST ("AF", "IR"), LIST ("fa", "prs", "ps"),
    LIST ("محمدرضا|Mohammadreza", "علی|Ali", "حسین|Hossein", "مهدی|Mehdi", "رضا|Reza",
          "احمد|Ahmad", "فرهاد|Farhad", "جواد|Javad", "مرتضی|Morteza", "نوید|Navid",
          "عبدالله|Abdullah"),
    LIST ("فاطمه|Fatemeh", "زهرا|Zahra", "مریم|Maryam", "شیرین|Shirin", "پروانه|Parvaneh",
          "نرگس|Narges", "لیلا|Leila", "سمیرا|Samira", "گلناز|Golnaz", "فرشته|Fereshteh"),
    LIST ("احمدی|Ahmadi", "حسینی|Hosseini", "محمدی|Mohammadi", "رضایی|Rezaei", "کریمی|Karimi",
          "نوری|Nouri", "رحیمی|Rahimi", "جعفری|Jafari", "هاشمی|Hashemi", "صدیقی|Sediqi",
          "پوپل|Popal", "وردک|Wardak"),
    TRUE },
  { "Cyrillic", 8, LIST ("UA", "RU"), LIST ("uk", "ru"),
    LIST ("Олександр|Oleksandr", "Дмитро|Dmytro", "Сергій|Serhii", "Андрій|Andrii", "Олег|Oleh",
          "Максим|Maksym"),
    LIST ("Ольга|Olha", "Наталія|Nataliia", "Катерина|Kateryna", "Ірина|Iryna", "Юлія|Yuliia"),
    LIST ("Шевченко|Shevchenko", "Коваленко|Kovalenko", "Бондаренко|Bondarenko", "Мельник|Melnyk",
          "Ткаченко|Tkachenko", "Кравчук|Kravchuk"),
    TRUE },
  { "Latin (Turkish)", 8, LIST ("TR"), LIST ("tr", "ku"),
    LIST ("Şükrü", "Ömer", "Mehmet", "Çağrı", "Hüseyin", "Barış"),
    LIST ("Gülşen", "Ayşe", "Öznur", "Şeyma", "Büşra"),
    LIST ("Çelik", "Öztürk", "Yıldız", "Doğan", "Şahin", "Kılıç", "Aydın"),
    FALSE },
  { "Latin (West Africa)", 8, LIST ("GN", "SL", "CI"), LIST ("fr", "ff"),
    LIST ("Mamadou", "Ibrahima", "Ousmane", "Alpha", "Souleymane"),
    LIST ("Fatoumata", "Aïssatou", "Mariama", "Kadiatou", "Hawa"),
    LIST ("Diallo", "Bah", "Barry", "Camara", "Sow", "Touré"),
    FALSE },
  { "Latin (Spanish)", 6, LIST ("CO", "VE"), LIST ("es"),
    LIST ("José", "Andrés", "Luis", "Camilo", "Iván"),
    LIST ("María José", "Lucía", "Daniela", "Valentina", "Inés"),
    LIST ("Hernández", "Gómez", "Rodríguez", "Peña", "Muñoz", "Martínez"),
    FALSE },
  { "Latin (Nigeria)", 5, LIST ("NG"), LIST ("en", "yo", "ig"),
    LIST ("Chinedu", "Oluwaseun", "Emeka", "Tunde"),
    LIST ("Ngozi", "Chiamaka", "Funmilayo", "Adaeze"),
    LIST ("Okafor", "Adeyemi", "Okonkwo", "Eze", "Balogun"),
    FALSE },
};
const guint koers_demo_n_origins = G_N_ELEMENTS (koers_demo_origins);

const KoersDemoCountry koers_demo_countries[] = {
  { "SY", "Syrië", "Aleppo" }, { "IQ", "Irak", "Erbil" }, { "SD", "Soedan", "Khartoem" },
  { "YE", "Jemen", "Aden" }, { "LY", "Libië", "Benghazi" }, { "MA", "Marokko", "Nador" },
  { "ER", "Eritrea", "Asmara" }, { "ET", "Ethiopië", "Addis Abeba" },
  { "AF", "Afghanistan", "Herat" }, { "IR", "Iran", "Mashhad" },
  { "UA", "Oekraïne", "Charkiv" }, { "RU", "Rusland", "Makhachkala" },
  { "TR", "Turkije", "Gaziantep" }, { "GN", "Guinee", "Conakry" },
  { "SL", "Sierra Leone", "Freetown" }, { "CI", "Ivoorkust", "Abidjan" },
  { "CO", "Colombia", "Medellín" }, { "VE", "Venezuela", "Maracaibo" },
  { "NG", "Nigeria", "Benin City" },
  { NULL },
};

const KoersDemoCountry *
koers_demo_country (const char *code)
{
  for (const KoersDemoCountry *c = koers_demo_countries; c->code; c++)
    if (g_str_equal (c->code, code))
      return c;
  return NULL;
}

const char *const koers_demo_steunpunten[] = {
  "Steunpunt Utrecht|Utrecht", "Steunpunt Rotterdam-Zuid|Rotterdam",
  "Steunpunt Nijmegen|Nijmegen", "Steunpunt Groningen|Groningen", NULL,
};

const char *const koers_demo_volunteers[] = {
  "Anna de Vries", "Pieter Bakker", "Fatima el Amrani", "Joost van Dijk", "Marloes Jansen",
  "Henk Visser", "Ineke Smit", "Bram Mulder", "Sanne de Boer", "Rachid Bouzian", NULL,
};

const char *const koers_demo_counsellors[] = {
  "Karin Meijer", "Ruud de Groot", "Selamawit Tesfaye", NULL,
};

const char *const koers_demo_consultants[] = {
  "Yvonne Bos", "Hamid Sharifi", NULL,
};

const char *const koers_demo_referral_orgs[] = {
  "0|Stichting Terugkeerbegeleiding Oost", "1|Advocatenkantoor Vreemdelingenrecht Centrum",
  "1|Rechtswinkel De Brug", "2|Huisartsenpraktijk De Linde", "3|GGZ Vluchtelingenzorg Midden",
  "4|Inloophuis De Haven", "5|Bibliotheek Taalhuis", NULL,
};

const char *const koers_demo_openings[] = {
  "{naam} kwam vandaag naar het spreekuur in {stad}. {Hij} was op tijd en wilde vooral praten "
  "over hoe het nu verder moet, nu de procedure bijna is afgelopen.",
  "Tweede gesprek met {naam}. {Hij} vertelde dat {hij} de afgelopen weken bij een kennis op de "
  "bank heeft geslapen en weinig rust heeft. De sfeer was open, {naam} stelde veel vragen.",
  "{naam} is doorverwezen door een medewerker van de nachtopvang. {Hij} weet nog niet goed wat "
  "het steunpunt kan doen; we hebben eerst uitgelegd wie we zijn en dat we onafhankelijk zijn "
  "van de IND en de DT&V.",
  "Gesprek met {naam} op het spreekuur in {stad}. {Hij} kwam samen met een vriend, die "
  "halverwege wegging zodat we vrijuit konden praten.",
  "{naam} belde eerst om een afspraak te maken en kwam daarna naar {stad}. {Hij} had een map "
  "met brieven bij zich, die we samen hebben doorgenomen.",
  NULL,
};

/* By koers_topic_names: new_procedure, irregular_stay, voluntary_return, other. */
const char *const koers_demo_topic_notes[4] = {
  "We hebben besproken of een opvolgende aanvraag kans maakt. {naam} heeft volgens eigen zeggen "
  "nieuwe documenten uit {land}, maar die zijn nog niet vertaald. Afgesproken dat we dit eerst "
  "voorleggen aan een advocaat voordat er iets wordt ingediend; valse hoop willen we voorkomen.",
  "De gevolgen van onrechtmatig verblijf zijn doorgenomen: geen recht op opvang of werk, het "
  "risico op vreemdelingenbewaring, en dat medische zorg wel mogelijk blijft. {naam} wist het "
  "meeste al, maar het hardop horen raakte {hem} zichtbaar.",
  "Ook vrijwillige terugkeer kwam ter sprake. We hebben uitgelegd welke ondersteuning er is: "
  "reiskosten, een herintegratiebudget en begeleiding door een partnerorganisatie in {land}. "
  "{naam} wil er eerst over nadenken en met familie overleggen; geen druk gezet.",
  "Verder gesproken over de dagelijkse dingen: waar {hij} kan eten, de taallessen in de "
  "bibliotheek en vrijwilligerswerk om de dagen door te komen.",
};

/* By koers_barrier_names. */
const char *const koers_demo_barrier_notes[9] = {
  "Schaamte richting familie speelt sterk mee. De familie heeft geld geleend voor de reis en "
  "verwacht dat {naam} hier slaagt; met lege handen terugkomen voelt voor {hem} als falen.",
  "{Hij} is bang voor wat er bij terugkeer gebeurt, vooral bij aankomst op het vliegveld en bij "
  "de eerste weken in {land}. Die angst is niet weg te praten; we hebben gevraagd wat zou helpen.",
  "'Al die jaren in Nederland waren voor niets,' zei {naam} meerdere keren. We hebben stilgestaan "
  "bij wat {hij} hier wel heeft geleerd: de taal, een vak, mensen die {hem} kennen.",
  "Er is geen paspoort of identiteitsbewijs. De ambassade vraagt een geboorteakte, die familie "
  "in {land} zou moeten opsturen. Dat kan maanden duren.",
  "De politieke situatie in {land} maakt {hem} onzeker. {Hij} volgt het nieuws elke dag en "
  "hoort van bekenden dat het in de regio wisselend veilig is.",
  "Economisch is het thuis zwaar: de prijzen zijn sterk gestegen en de familie kan {hem} niet "
  "onderhouden. Zonder startkapitaal ziet {hij} geen bestaan voor zich.",
  "Zonder werk of inkomen heeft {naam} weinig perspectief, hier en daar. {Hij} heeft ervaring "
  "als monteur en in de bouw, maar geen diploma's om dat te laten zien.",
  "Er is nauwelijks nog een sociaal netwerk in {land}; ouders zijn overleden of vertrokken. "
  "{Hij} zou bij aankomst niemand hebben om op terug te vallen.",
  "Verder speelt de gezondheid een rol: {naam} heeft medicijnen nodig die {hij} nu via de "
  "huisarts krijgt, en vraagt zich af of die in {land} te krijgen zijn.",
};

const char *const koers_demo_signal_notes[] = {
  "Signaal: {naam} slaapt slecht, heeft veel hoofdpijn en piekert 's nachts. {Hij} zei ook dat "
  "{hij} soms 'niet meer wil'. Direct besproken met de counsellor; {hij} is akkoord met een "
  "doorverwijzing.",
  "Signaal: {naam} maakte een afwezige indruk en reageerde traag. {Hij} vertelde over "
  "nachtmerries sinds de reis. Overleg met de counsellor voor een vervolggesprek.",
  NULL,
};

const char *const koers_demo_closings[] = {
  "Volgende afspraak over twee weken. {naam} neemt dan de laatste brief van de IND mee.",
  "Afgesproken dat {naam} zelf contact opneemt als er iets verandert; we bellen anders over "
  "een week.",
  "We sluiten af met de afspraak dat {hij} nadenkt over de opties. Telefoonnummer gecontroleerd.",
  "{naam} bedankte voor de tijd. Een vervolggesprek is gepland, zo mogelijk met dezelfde tolk.",
  NULL,
};

const char *const koers_demo_addenda[] = {
  "Aanvulling: {naam} belde na het gesprek om te zeggen dat de familie de geboorteakte heeft "
  "gevonden.",
  "Aanvulling: de datum van de vorige aanvraag klopt niet, het was een jaar later.",
  "Aanvulling na overleg met de coördinator: eerst de advocaat laten kijken.",
  NULL,
};

const char *const koers_demo_next_steps[] = {
  "Kopie geboorteakte opvragen via familie",
  "Afspraak maken met advocaat over opvolgende aanvraag",
  "Doorverwijzen naar huisarts voor slaapproblemen",
  "Informatie opvragen over herintegratiebudget",
  "Terugbellen na overleg met familie",
  "Brief van de IND laten vertalen",
  "Aanmelden voor taallessen in de bibliotheek",
  "Nagaan of medicijnen in het land van herkomst verkrijgbaar zijn",
  NULL,
};

/* By KoersOrgKind: return, lawyer, medical, psychosocial, social, other. */
const char *const koers_demo_referral_reasons[6] = {
  "Begeleiding bij vrijwillige terugkeer en aanvraag herintegratiesteun",
  "Juridisch advies over een opvolgende aanvraag",
  "Slaapproblemen en hoofdpijn, geen huisarts",
  "Somberheid en nachtmerries, behoefte aan gesprekken",
  "Nachtopvang en dagbesteding",
  "Taalles en vrijwilligerswerk",
};

const char *const koers_demo_return_steps[] = {
  "1|Laissez-passer aanvragen bij de ambassade",
  "0|Medische verklaring 'fit to fly' bij de huisarts",
  "2|Businessplan uitwerken met de partnerorganisatie",
  "1|Vlucht boeken en reisbegeleiding regelen",
  "2|Opvang voor de eerste weken regelen",
  "0|Afscheid nemen van kennissen, spullen verkopen",
  NULL,
};

/* By KoersSupportKind: housing, business, education, medical, travel. */
const char *const koers_demo_support_items[5] = {
  "Huur voor de eerste drie maanden",
  "Startkapitaal voor een kleine winkel of werkplaats",
  "Beroepsopleiding (monteur, kapper of naaister)",
  "Medicatie en controle bij een arts, eerste half jaar",
  "Vliegticket, bagage en begeleiding op het vliegveld",
};

const char *const koers_demo_checkin_notes[] = {
  "Contact via de partnerorganisatie. {naam} woont tijdelijk bij een neef en helpt in diens "
  "winkel. Voelt zich nog onwennig, maar ziet weer familie.",
  "Telefonisch gesproken. De werkplaats is open, de eerste klanten komen. Zorgen over de "
  "stijgende huur.",
  "{naam} is moeilijk bereikbaar; de partner heeft twee keer langs geweest. Geen "
  "veiligheidsproblemen gemeld.",
  "Goed gesprek: {hij} volgt een opleiding en heeft een kleine vriendenkring opgebouwd.",
  NULL,
};
