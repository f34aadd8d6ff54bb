"""Word banks for names, profiles and posts. Every person, outlet and country here is fictional."""

from __future__ import annotations

COUNTRY = "Veloria"
DEMONYM = "Velorian"

AMBASSADOR = {"username": "AmbHanWeilin", "name": "Han Weilin 韩维林", "description": "Ambassador of the Republic of Veloria to the United Kingdom. Building bridges between our peoples.", "location": "London, England"}
EMBASSY = {"username": "VeloriaEmbUK", "name": "Velorian Embassy in UK", "description": "Official account of the Embassy of the Republic of Veloria in the United Kingdom.", "location": "London"}
# Further official accounts for scenarios with more than two targets (role, profile).
EXTRA_TARGETS = (
    ("consulate", {"username": "VeloriaConsMcr", "name": "Velorian Consulate Manchester", "description": "Consulate-General of the Republic of Veloria in Manchester.", "location": "Manchester, England"}),
    ("spokesperson", {"username": "VeloriaMFASpox", "name": "Velorian MFA Spokesperson", "description": "Spokesperson of the Ministry of Foreign Affairs of the Republic of Veloria.", "location": "Veloria"}),
    ("state_media", {"username": "VeloTodayNews", "name": "Velo Today", "description": "News from Veloria and the world. Veloria's international broadcaster.", "location": "Veloria"}),
)

SLOGAN_HASHTAG = "VeloriaTruth"
NETWORK_HASHTAGS = ("VeloriaTruth", "StopSmearingVeloria", "FactsNotLies")
NETWORK_DOMAINS = ("velorianews.net", "velorian-embassy.org.uk", "velotoday.net")

POPULAR = [
    ("HarbourNewsDaily", "Harbour News Daily", "Breaking news and analysis, around the clock.", "London, UK", "en", "harbournews.co.uk"),
    ("TheMorningLedger", "The Morning Ledger", "Politics, business and the world, every morning.", "Manchester", "en", "morningledger.co.uk"),
    ("CityFootballTalk", "City Football Talk", "All the football, none of the filler.", "Liverpool", "en", "cityfootballtalk.net"),
    ("SkyWatchWeather", "SkyWatch Weather", "Forecasts, storms and sunsets.", "Bristol", "en", "skywatchweather.com"),
    ("DrAmaraOsei", "Dr Amara Osei", "Epidemiologist. Views my own.", "Edinburgh", "en", "youtube.com"),
    ("TechPulseHQ", "TechPulse", "Gadgets, apps and the people who build them.", "San Francisco", "en", "techpulsehq.com"),
    ("GreenRouteUK", "Green Route", "Cycling, trains and cleaner cities.", "Leeds", "en", "greenroute.org.uk"),
    ("ChefLucaMarin", "Luca Marin", "Chef. Pasta evangelist. Cookbook out now.", "Bologna", "it", "instagram.com"),
    ("ElDiarioAbierto", "El Diario Abierto", "Noticias de España y del mundo.", "Madrid", "es", "diarioabierto.es"),
    ("LeJournalVif", "Le Journal Vif", "L'actualité en continu.", "Paris", "fr", "journalvif.fr"),
    ("NachrichtenJetzt", "Nachrichten Jetzt", "Nachrichten aus Deutschland und der Welt.", "Berlin", "de", "nachrichtenjetzt.de"),
    ("AsiaMarketWire", "Asia Market Wire", "Markets, trade and tech across Asia.", "Singapore", "en", "asiamarketwire.com"),
    ("GulfDailyVoice", "Gulf Daily Voice", "أخبار الخليج والعالم", "Dubai", "ar", "gulfdailyvoice.com"),
    ("FolhaRapida", "Folha Rápida", "Notícias rápidas do Brasil.", "São Paulo", "pt", "folharapida.com.br"),
    ("MusicNightLive", "Music Night Live", "Gigs, albums and backstage stories.", "Glasgow", "en", "youtube.com"),
    ("SpaceFactsDaily", "Space Facts", "One space fact a day, sometimes more.", "", "en", "spacefactsdaily.org"),
    ("HistoryInFrames", "History in Frames", "Old photos, new stories.", "", "en", "historyinframes.net"),
    ("MarketMinuteUK", "Market Minute", "Stocks, rates and your money.", "London", "en", "marketminute.co.uk"),
    ("HuaxiaDigest", "华夏文摘", "新闻 评论 生活", "Hong Kong", "zh", "huaxiadigest.com"),
    ("PolicyLabNotes", "Policy Lab", "Think tank notes on foreign policy.", "Brussels", "en", "policylabnotes.eu"),
]

FIRST_NAMES = (
    "Oliver Amelia Jack Isla Harry Ava George Mia Noah Grace Leo Freya Oscar Lily Arthur Ella Theo Evie Alfie Poppy "
    "Sophie Daniel Hannah Samuel Chloe James Emily Thomas Lucy William Megan Rosa Carlos Lucia Pablo Marta Hugo Ines "
    "Chloé Louis Camille Jules Léa Lukas Anna Felix Marie Jonas Giulia Marco Chiara Luca Sofia Mateus Ana Joao Beatriz "
    "Wei Ling Jun Mei Hao Yan Tao Xin Omar Layla Youssef Noor Karim Amira Priya Arjun Aisha Kofi Ama Tunde Zara "
    "Ivan Olga Piotr Kasia Erik Ingrid Sean Niamh Callum Fiona Rhys Cerys Ahmed Fatima Dev Anika Tom Kate Ben Amy"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green "
    "Hall Wood Jackson Clarke Patel Khan Lewis Harris Martin Cooper King Lee Baker Hill Garcia Fernandez Lopez Martinez "
    "Dubois Moreau Laurent Bernard Muller Schmidt Schneider Fischer Rossi Russo Bianchi Romano Silva Santos Costa Oliveira "
    "Chen Wang Li Zhang Liu Yang Huang Zhao Hassan Ali Ibrahim Mensah Okafor Adeyemi Nowak Kowalski Larsen Berg "
    "Murphy Kelly Byrne Walsh Morgan Price Hughes Shah Singh Gupta Novak Horvat Petrov Ivanova Sato Tanaka Kim Park"
).split()

LOCATIONS = {
    "en": ("London", "London, England", "Manchester, UK", "Birmingham", "Leeds", "Glasgow, Scotland", "Cardiff", "Belfast",
           "New York, NY", "Toronto", "Sydney", "Dublin, Ireland", "Lagos, Nigeria", "Nairobi", "Mumbai", "Singapore", "England, United Kingdom", "UK", "Earth", ""),
    "es": ("Madrid", "Barcelona", "Sevilla", "Buenos Aires", "Ciudad de México", "Bogotá", "Valencia, España", ""),
    "fr": ("Paris", "Lyon", "Marseille", "Bruxelles", "Montréal", "Dakar", ""),
    "de": ("Berlin", "München", "Hamburg", "Wien", "Zürich", "Köln", ""),
    "zh": ("Hong Kong", "Taipei", "Singapore", "London", "Vancouver", "上海", "北京", ""),
    "ar": ("Dubai", "Cairo", "Amman", "Riyadh", "Doha", "London", ""),
    "it": ("Roma", "Milano", "Napoli", "Torino", "Bologna", ""),
    "pt": ("Lisboa", "Porto", "São Paulo", "Rio de Janeiro", "Luanda", ""),
}
UTC_OFFSETS = {"en": (0, 0, 0, 1, -5, -4, 10, 1, 3, 5), "es": (1, 1, -3, -5, -6), "fr": (1, 1, 1, -4, 0), "de": (1, 1, 1),
               "zh": (8, 8, 8, 0, -7), "ar": (4, 2, 3, 3, 0), "it": (1, 1), "pt": (0, 0, -3, -3, 1)}

BIO_WORDS = {
    "en": ("Dad of two", "Mum", "Teacher", "Nurse", "Engineer", "Football fan", "Coffee addict", "Gardener", "Runner",
           "Student", "Retired", "Photographer", "Writer", "Cat person", "Dog lover", "Musician", "Reader", "Traveller",
           "Opinions my own", "Tea drinker", "Chelsea", "Arsenal", "Liverpool FC", "Vegan", "Gamer", "History buff", "Foodie"),
    "es": ("Periodista", "Madre", "Padre", "Estudiante", "Amante del café", "Futbolero", "Viajero", "Lector", "Profesora"),
    "fr": ("Journaliste", "Maman", "Papa", "Étudiant", "Amateur de café", "Lecteur", "Voyageuse", "Prof", "Cycliste"),
    "de": ("Lehrerin", "Vater", "Mutter", "Student", "Kaffeeliebhaber", "Leser", "Fußballfan", "Radfahrer"),
    "zh": ("学生", "老师", "摄影", "旅行", "读书", "咖啡", "工程师", "生活"),
    "ar": ("طالب", "مهندس", "قارئ", "مسافر", "أب", "أم", "مصور"),
    "it": ("Studente", "Mamma", "Papà", "Lettore", "Viaggiatore", "Tifoso", "Cuoco"),
    "pt": ("Estudante", "Mãe", "Pai", "Leitor", "Viajante", "Professora", "Torcedor"),
}

WORDS = {
    "en": ("the", "a", "this", "today", "really", "just", "new", "people", "time", "week", "great", "think", "good", "news",
           "love", "never", "always", "match", "weather", "train", "work", "morning", "night", "government", "policy", "city",
           "school", "team", "music", "book", "film", "rain", "sun", "coffee", "dinner", "story", "why", "how", "what",
           "finally", "again", "still", "so", "not", "can't", "believe", "watch", "read", "listen", "vote", "price", "market",
           "health", "vaccine", "lockdown", "football", "goal", "season", "election", "climate", "energy", "bus", "queue",
           "weekend", "holiday", "garden", "kids", "family", "friends", "amazing", "terrible", "honestly", "absolutely",
           "brilliant", "awful", "funny", "sad", "happy", "tired", "busy", "late", "early", "update", "thread", "look"),
    "es": ("el", "la", "que", "hoy", "muy", "gente", "tiempo", "semana", "bueno", "noticia", "gobierno", "ciudad", "fútbol",
           "partido", "lluvia", "sol", "café", "cena", "historia", "nunca", "siempre", "otra", "vez", "increíble", "familia",
           "amigos", "trabajo", "mañana", "noche", "precio", "salud", "vacuna", "equipo", "música", "libro", "verdad"),
    "fr": ("le", "la", "que", "aujourd'hui", "très", "gens", "temps", "semaine", "bon", "nouvelle", "gouvernement", "ville",
           "match", "pluie", "soleil", "café", "dîner", "histoire", "jamais", "toujours", "encore", "incroyable", "famille",
           "amis", "travail", "matin", "soir", "prix", "santé", "vaccin", "équipe", "musique", "livre", "vraiment"),
    "de": ("der", "die", "das", "heute", "sehr", "Leute", "Zeit", "Woche", "gut", "Nachricht", "Regierung", "Stadt", "Spiel",
           "Regen", "Sonne", "Kaffee", "Abendessen", "Geschichte", "nie", "immer", "wieder", "unglaublich", "Familie",
           "Freunde", "Arbeit", "Morgen", "Abend", "Preis", "Gesundheit", "Impfstoff", "Mannschaft", "Musik", "Buch"),
    "zh": ("今天", "天气", "新闻", "朋友", "工作", "生活", "咖啡", "电影", "音乐", "比赛", "城市", "政府", "家人", "周末",
           "真的", "非常", "好", "不", "看", "读书", "时间", "市场", "健康", "疫苗", "历史", "晚上", "早上"),
    "ar": ("اليوم", "الطقس", "أخبار", "أصدقاء", "عمل", "حياة", "قهوة", "فيلم", "موسيقى", "مباراة", "مدينة", "حكومة",
           "عائلة", "جميل", "جدا", "وقت", "سوق", "صحة", "لقاح", "تاريخ", "مساء", "صباح"),
    "it": ("il", "la", "che", "oggi", "molto", "gente", "tempo", "settimana", "buono", "notizia", "governo", "città", "partita",
           "pioggia", "sole", "caffè", "cena", "storia", "mai", "sempre", "ancora", "incredibile", "famiglia", "amici"),
    "pt": ("o", "a", "que", "hoje", "muito", "gente", "tempo", "semana", "bom", "notícia", "governo", "cidade", "jogo",
           "chuva", "sol", "café", "jantar", "história", "nunca", "sempre", "de", "novo", "incrível", "família", "amigos"),
}

HASHTAGS = {
    "en": ("football", "COVID19", "climate", "music", "books", "London", "weather", "StaySafe", "tech", "health", "politics",
           "UK", "news", "travel", "food", "Brexit", "PremierLeague", "MondayMotivation", "photography", "science"),
    "es": ("fútbol", "COVID19", "música", "noticias", "Madrid", "salud", "viajes"),
    "fr": ("football", "COVID19", "musique", "Paris", "actualité", "santé", "voyage"),
    "de": ("Fußball", "COVID19", "Musik", "Berlin", "Nachrichten", "Gesundheit"),
    "zh": ("新闻", "生活", "旅行", "音乐", "COVID19"),
    "ar": ("أخبار", "كورونا", "رياضة", "COVID19"),
    "it": ("calcio", "COVID19", "musica", "Roma", "notizie"),
    "pt": ("futebol", "COVID19", "música", "notícias", "Lisboa"),
}

ORGANIC_DOMAINS = ("youtube.com", "instagram.com", "harbournews.co.uk", "morningledger.co.uk", "medium.com",
                   "open.spotify.com", "wikipedia.org", "skywatchweather.com", "techpulsehq.com", "gofundme.com")

CLIENTS = ("Twitter for Android", "Twitter for iPhone", "Twitter Web App", "Twitter for iPad", "TweetDeck")
CLIENT_WEIGHTS = (0.42, 0.33, 0.19, 0.04, 0.02)

EMOJI = ("👍", "🙏", "👏", "💯", "😂", "❤️", "🔥", "😊", "🤔", "😢")

# Official talking points of the targets.
TARGET_TOPICS = (
    "Met with business leaders to discuss trade and investment between Veloria and the UK.",
    "Veloria's economy grew again this quarter, opening new opportunities for cooperation.",
    "Our medical teams shared their experience of fighting the pandemic with international partners.",
    "Some politicians keep spreading lies about Veloria. Facts will speak for themselves.",
    "The so-called report is full of fabrications. We firmly oppose interference in our internal affairs.",
    "Veloria is a partner, not a threat. Dialogue is the only way forward.",
    "Welcomed students heading to UK universities this autumn. Education builds friendship.",
    "Visited the Velorian community in Manchester. Thank you for your warm welcome.",
    "Veloria donated masks and ventilators to partners in need.",
    "Western media double standards are plain to see. Truth cannot be hidden.",
    "Poverty alleviation in Veloria is a miracle in human history.",
    "Happy to attend the cultural festival celebrating Velorian music and food in London.",
    "Our position on the border issue is clear and consistent.",
    "Green development is a priority for Veloria. We will peak emissions before 2030.",
    "The smear campaign against Veloria will fail. History is on the right side.",
    "Interview with the press today on the future of Veloria-UK relations.",
    "Veloria's vaccines are a global public good.",
    "Some people in the UK still have a Cold War mentality. This is not the way.",
)

# The network's copied talking points: shared phrases reused across members with small variations.
NETWORK_PHRASES = (
    "Well said, Ambassador", "Thank you for telling the truth", "Facts speak louder than lies",
    "Stop the smear campaign against Veloria", "The truth cannot be hidden", "Western media double standards again",
    "Veloria is a friend of the UK", "Shame on the liars", "Respect from Britain", "Fully agree with the Ambassador",
    "This is the real story the media won't tell you", "Lies will never win", "Proud to stand with Veloria",
    "Thank you Embassy for the clear facts", "Anti-Veloria hysteria must stop", "Stand with the truth",
)
NETWORK_OPENERS = ("", "", "Absolutely! ", "Exactly. ", "So true. ", "Yes! ", "Agree. ", "100%. ")
NETWORK_CLOSERS = ("", "", "!", "!!", ".", " 🙏", " 👍", " 👏", " 💯")

CAMOUFLAGE = (
    "Good morning everyone", "Have a nice weekend", "Lovely sunset in London today", "Tea time",
    "Life is beautiful when you smile", "Happy Monday friends", "Nature is the best medicine",
    "Be kind to each other", "Reading a good book tonight", "Beautiful flowers in the park",
    "Never give up on your dreams", "Coffee first, then everything else", "Rainy day again in England",
)

# Fan community of the targets' culture: genuine, varied, multilingual.
FAN_TEXTS = {
    "en": ("Loved the festival photos!", "The food at that event was amazing", "Can't wait to visit Veloria one day",
           "Great to see cultural exchange like this", "My students enjoyed the calligraphy workshop", "What a lovely concert"),
    "zh": ("太美了", "期待下次活动", "音乐会很好听", "谢谢分享", "好想去旅行"),
    "es": ("Qué bonito festival", "Me encantó la comida", "Ojalá pueda visitar Veloria"),
    "fr": ("Magnifique concert", "Superbe festival", "J'adore cette culture"),
}
FAN_HASHTAG = "VelorianCulture"
