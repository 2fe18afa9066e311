package demo

// Word lists for names, titles, tags and prose. Everything is invented,
// neutral and everyday: no real fandoms, no real fan fiction, no adult text.
// Tag-bound entries avoid the characters tags may not contain
// (, ^ * < > { } = ` \ %) and prose entries avoid & so HTML bodies stay valid.

var adjectives = []string{
	"Silver", "Hollow", "Crimson", "Quiet", "Northern", "Last", "Broken", "Golden",
	"Endless", "Hidden", "Winter", "Paper", "Iron", "Glass", "Distant", "Wandering",
	"Sleeping", "Burning", "Emerald", "Starlit", "Midnight", "Scarlet", "Velvet",
	"Copper", "Amber", "Ashen", "Twilight", "Wild", "Lost", "Bright", "Southern",
	"Salt", "Clockwork", "Painted", "Frozen", "Silent", "Seventh", "Drowned",
	"Little", "Secret", "Sunken", "Brass", "Lonely", "Autumn", "Eastern", "Western",
	"Hungry", "Gentle", "Stolen", "Forgotten", "Shattered", "Rising", "Falling",
	"Cobalt", "Ivory", "Obsidian", "Lunar", "Solar", "Electric", "Invisible",
	"Crooked", "Tangled", "Patient", "Restless", "Wicked", "Honest", "Borrowed",
}

var nouns = []string{
	"Lantern", "Harbor", "Crown", "River", "Garden", "Tower", "Compass", "Orchard",
	"Kingdom", "Academy", "Station", "Voyage", "Circus", "Archive", "Library",
	"Lighthouse", "Meridian", "Frontier", "Citadel", "Atlas", "Court", "Mirror",
	"Comet", "Forest", "Sea", "Valley", "Empire", "Signal", "Cathedral", "Carnival",
	"Bureau", "Hotel", "Express", "Observatory", "Bridge", "Island", "Orbit",
	"Engine", "Market", "Theatre", "Garrison", "Sanctuary", "Canal", "Quarry",
	"Meadow", "Spire", "Harvest", "Tide", "Ember", "Horizon", "Cipher", "Anthem",
	"Requiem", "Labyrinth", "Pavilion", "Monastery", "Dynasty", "Republic",
	"Parade", "Kitchen", "Gallery", "Workshop", "Ferry", "Railway", "Vineyard",
}

var pluralNouns = []string{
	"Lanterns", "Lights", "Crowns", "Rivers", "Gardens", "Towers", "Stars", "Bells",
	"Wolves", "Ravens", "Letters", "Roads", "Keys", "Ships", "Maps", "Songs",
	"Embers", "Tides", "Kings", "Queens", "Ghosts", "Mirrors", "Doors", "Clocks",
	"Islands", "Winds", "Hearts", "Stones", "Feathers", "Candles", "Storms",
	"Orchards", "Bridges", "Dreams", "Echoes", "Shadows", "Sparrows", "Foxes",
}

var groupNouns = []string{
	"Chronicles", "Saga", "Cycle", "Legends", "Diaries", "Files", "Mysteries",
	"Trilogy", "Adventures", "Tales", "Series", "Sequence", "Quartet", "Annals",
}

var mediaTypes = []string{
	"TV", "Movies", "Comics", "Video Game", "Anime", "Cartoon", "Podcast",
	"Web Series", "Manga", "Radio", "Stage Musical", "Visual Novel",
}

var placeNames = []string{
	"Harrowgate", "Larkspur", "Wrenfield", "Caldera Bay", "Saltmarsh", "Brightwater",
	"Elmstead", "Northreach", "Port Ivory", "Millbrook", "Stonehaven", "Fairhollow",
	"Kestrel Point", "Ashford", "Greywick", "Merrow", "Thornbury", "Avonlee",
	"Redcliff", "Lowmoor", "Duskfall", "Oakhurst", "Marrowgate", "Silverton",
	"Cinderfell", "Westmere", "Hollowmere", "Windmere", "Blackwater", "Kingsbridge",
}

var subtitles = []string{
	"The Long Tide", "A Winter Crossing", "Return of the Tide", "The Hollow Year",
	"Beyond the Meridian", "The Last Harvest", "Under Glass", "The Second Signal",
	"Ember and Ash", "The Paper Crown", "Northern Lights", "A Quiet Rebellion",
	"The Sunken Court", "First Light", "The Clockwork Heart", "Homecoming",
	"The Seventh Door", "Salt and Stone", "The Far Shore", "Echoes",
}

var authorInitials = []string{"A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "J.", "K.", "L.", "M.", "N.", "P.", "R.", "S.", "T.", "V.", "W."}

var firstNames = []string{
	"Mara", "Tomas", "Ilse", "Rowan", "Ada", "Felix", "Noor", "Jonah", "Sable",
	"Ezra", "Lior", "Wren", "Cassia", "Idris", "Maren", "Theo", "Isolde", "Caspian",
	"Anouk", "Bram", "Dorian", "Elspeth", "Farah", "Gideon", "Hester", "Ivo",
	"Juno", "Kasimir", "Lark", "Magnus", "Nell", "Orla", "Perrin", "Quill", "Rosalind",
	"Silas", "Tamsin", "Ulric", "Vesna", "Willa", "Xavier", "Yara", "Zeno", "Aurelio",
	"Beatrix", "Corin", "Delphine", "Emrys", "Fenna", "Gwen", "Hollis", "Inés",
	"Jasper", "Keziah", "Leopold", "Mirela", "Niko", "Ottilie", "Pim", "Rafe",
	"Saoirse", "Tobias", "Una", "Valentin", "Wilhelmina", "Yusuf", "Zora", "Arlo",
	"Bianca", "Cyrus", "Dagny", "Eamon", "Flora", "Gale", "Hana", "Ignatius", "Jem",
	"Kit", "Lucan", "Mina", "Nils", "Odette", "Pascal", "Rhea", "Soren", "Talia",
	"Uriel", "Vida", "Wystan", "Ximena", "Yves", "Zuri", "Anselm", "Briony",
	"Cosmo", "Dinah", "Elio", "Freya", "Gus", "Helene", "Ishaan", "Jovana", "Kaito",
	"Leena", "Malachi", "Nadia", "Osric", "Petra", "Quentin", "Ruth", "Stellan",
	"Thea", "Uma", "Viggo", "Winifred", "Yosef", "Zelda", "Amara", "Basil", "Clem",
	"Dmitri", "Esme", "Florian", "Greta", "Henrik", "Iris", "Jude", "Katya", "Linus",
	"Margot", "Nestor", "Opal", "Priya", "Rufus", "Selin", "Tarquin", "Ursula",
}

var lastNames = []string{
	"Vell", "Okafor", "Hartmann", "Ashby", "Lindqvist", "Moreau", "Castellan",
	"Thorne", "Blackwood", "Ferreira", "Nakamura", "Oyelaran", "Petrov", "Quigley",
	"Rosen", "Sandoval", "Tennant", "Underhill", "Varga", "Whitlock", "Yilmaz",
	"Zielinski", "Abernathy", "Bellweather", "Corvin", "Delacroix", "Everhart",
	"Fairweather", "Galloway", "Holloway", "Ingram", "Jansson", "Kowalczyk",
	"Larkin", "Mercer", "Novak", "Ormsby", "Pembroke", "Radcliffe", "Stroud",
	"Tolliver", "Umber", "Vance", "Winslow", "Xiong", "Yates", "Zamora", "Achterberg",
	"Brightwell", "Carrow", "Dunmore", "Elsworth", "Fenwick", "Greaves", "Hale",
	"Ishikawa", "Kerrigan", "Lockhart", "Marsh", "Nightingale", "Oakes", "Prentice",
	"Quarles", "Ravensworth", "Sinclair", "Talbot", "Vasquez", "Wolfe", "Adeyemi",
	"Brennan", "Calloway", "Draper", "Esposito", "Fontaine", "Grimaldi", "Haddad",
	"Iversen", "Jovanovic", "Kimura", "Lestrange", "Montague", "Nyberg", "Ortega",
	"Pryce", "Rahman", "Sorensen", "Thistlewood", "Valdez", "Weatherby", "Ashcombe",
}

var charTitles = []string{"Captain", "Doctor", "Professor", "Commander", "Lady", "Lord", "Agent", "Inspector", "Sister", "Admiral"}

var roles = []string{
	"Lighthouse Keeper", "Ferry Captain", "Night-Shift Nurse", "Baker", "Librarian",
	"Postmistress", "Innkeeper", "Cartographer", "Stable Hand", "Radio Operator",
	"Station Master", "Florist", "Tailor", "Barista", "Landlady", "Clockmaker",
	"Ship's Cook", "Archivist", "Gardener", "Bus Driver", "Schoolteacher",
	"Bookseller", "Fisherman", "Mechanic", "Street Musician", "Courier",
}

// Freeform vocabulary, most popular first (roughly AO3's order).
var baseFreeforms = []string{
	"Fluff", "Angst", "Hurt/Comfort", "Romance", "Alternate Universe", "Humor",
	"Angst with a Happy Ending", "Friendship", "Family", "Established Relationship",
	"Slow Burn", "Alternate Universe - Canon Divergence", "Fluff and Angst",
	"Found Family", "Alternate Universe - Modern Setting", "Other Additional Tags to Be Added",
	"Drama", "Canon Compliant", "Friends to Lovers", "Mutual Pining",
	"Post-Canon", "Domestic Fluff", "Character Study", "Pining", "Tooth-Rotting Fluff",
	"Enemies to Lovers", "Getting Together", "Minor Character Death", "Canon Divergence",
	"Fix-It", "Oneshot", "Drabble", "Established Relationship Fluff", "Missing Scene",
	"Crack", "Crack Treated Seriously", "Comfort", "Hurt", "Emotional Hurt/Comfort",
	"Happy Ending", "Sad Ending", "Open Ending", "Bittersweet Ending", "Hopeful Ending",
	"Alternate Universe - Coffee Shops & Cafés", "Alternate Universe - College/University",
	"Alternate Universe - High School", "Alternate Universe - Fantasy",
	"Alternate Universe - Soulmates", "Alternate Universe - Royalty",
	"Alternate Universe - Space", "Alternate Universe - Magic", "Alternate Universe - Pirates",
	"Alternate Universe - Bakery", "Alternate Universe - Office", "Alternate Universe - Road Trip",
	"Alternate Universe - Small Town", "Alternate Universe - Historical",
	"Alternate Universe - Victorian", "Alternate Universe - Regency",
	"Alternate Universe - Detectives", "Alternate Universe - Musicians",
	"Alternate Universe - Flower Shop", "Alternate Universe - Bookstore",
	"Alternate Universe - Time Travel", "Alternate Universe - Role Reversal",
	"Alternate Universe - Everyone Lives", "Alternate Universe - Mermaids",
	"Soulmates", "Soulmate-Identifying Marks", "Time Travel", "Time Loop", "Amnesia",
	"Secret Identity", "Fake Dating", "Fake Marriage", "Arranged Marriage",
	"Marriage of Convenience", "Only One Bed", "Road Trips", "Roommates", "Neighbors",
	"Coworkers", "Rivals to Lovers", "Strangers to Lovers", "Second Chances",
	"Reunions", "Letters", "Epistolary", "Texting", "Social Media", "Cooking",
	"Baking", "Food", "Tea", "Coffee", "Rain", "Snow", "Winter", "Summer", "Autumn",
	"Spring", "Holidays", "Birthdays", "Christmas", "New Year's Eve", "Valentine's Day",
	"Halloween", "Weddings", "Proposals", "Anniversaries", "Picnics", "Gardening",
	"Books", "Libraries", "Museums", "Music", "Dancing", "Singing", "Art", "Painting",
	"Photography", "Writing", "Poetry", "Sports", "Swimming", "Hiking", "Camping",
	"Sailing", "Stargazing", "Trains", "Cats", "Dogs", "Horses", "Birds", "Pets",
	"Kid Fic", "Parenthood", "Siblings", "Sibling Bonding", "Brotherhood", "Sisterhood",
	"Mentor/Protégé Relationship", "Teamwork", "Team as Family", "Friendship/Love",
	"Protectiveness", "Jealousy", "Misunderstandings", "Miscommunication",
	"Communication", "Feelings Realization", "Love Confessions", "First Kiss",
	"Kissing", "Cuddling and Snuggling", "Hand Holding", "Hugs", "Sharing a Bed",
	"Falling In Love", "Love at First Sight", "Unrequited Love", "Requited Love",
	"Getting Back Together", "Break Up", "Healing", "Recovery", "Grief", "Loss",
	"Mourning", "Homesickness", "Loneliness", "Insomnia", "Nightmares", "Sick Fic",
	"Injury", "Caretaking", "Self-Doubt", "Self-Esteem Issues", "Anxiety",
	"Identity", "Coming of Age", "Growing Up", "Childhood Friends", "Best Friends",
	"Memories", "Nostalgia", "Flashbacks", "Dreams", "Prophecy", "Magic", "Curses",
	"Dragons", "Ghosts", "Witches", "Wizards", "Fairies", "Monsters", "Quests",
	"Adventure", "Mystery", "Murder Mystery", "Detectives", "Heists", "Spies",
	"Politics", "Court Intrigue", "War", "Aftermath of War", "Post-War", "Survival",
	"Space Opera", "Science Fiction", "Fantasy", "Historical", "Slice of Life",
	"Domestic", "Domesticity", "Morning After", "Lazy Mornings", "Late Night Conversations",
	"Introspection", "Inner Monologue", "Stream of Consciousness", "Point of View Alternating",
	"Multiple Points of View", "Epilogue", "Prequel", "Sequel", "Canon Universe",
	"Canonical Character Death", "Everyone Lives", "Nobody Dies", "Bad Ending",
	"Worldbuilding", "Original Character(s)", "Minor Original Character(s)",
	"Background Relationships", "Implied Relationships", "Light Angst", "Mild Angst",
	"Heavy Angst", "Mostly Fluff", "Soft", "Wholesome", "Hope", "Forgiveness",
	"Redemption", "Trust Issues", "Chosen Family",
	"Not Beta Read", "Beta Read", "Writing Exercise", "Prompt Fill", "Gift Exchange",
	"Fanart", "Podfic Welcome", "Translation Available", "Work In Progress",
	"Updates Weekly", "Author Is Sleep Deprived", "Short One Shot", "Long One Shot",
	"Ficlet", "Vignette", "Outsider Point of View", "Five Times", "Modern Era",
	"Medieval", "Victorian Era", "Small Towns", "Seaside", "Islands", "Mountains",
	"Cities", "Cafés", "Bakeries", "Tea Shops", "Markets", "Festivals", "Fireworks",
}

// Freeforms that suit only some works.
const (
	fitAny     = 0
	fitOneShot = 1 // one-chapter works
	fitWIP     = 2 // works in progress
)

var freeformFits = map[string]uint8{
	"Oneshot": fitOneShot, "Short One Shot": fitOneShot, "Long One Shot": fitOneShot,
	"Drabble": fitOneShot, "Ficlet": fitOneShot, "Vignette": fitOneShot,
	"Work In Progress": fitWIP, "Updates Weekly": fitWIP,
}

// Meta relations among freeforms: sub → metas. Chains of depth ≥ 2 exist
// (College/University → Modern Setting → Alternate Universe).
var freeformMeta = map[string][]string{
	"Alternate Universe - Canon Divergence":     {"Alternate Universe"},
	"Alternate Universe - Modern Setting":       {"Alternate Universe"},
	"Alternate Universe - Coffee Shops & Cafés": {"Alternate Universe", "Alternate Universe - Modern Setting"},
	"Alternate Universe - College/University":   {"Alternate Universe - Modern Setting"},
	"Alternate Universe - High School":          {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Office":               {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Bakery":               {"Alternate Universe - Coffee Shops & Cafés"},
	"Alternate Universe - Flower Shop":          {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Bookstore":            {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Road Trip":            {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Small Town":           {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Detectives":           {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Musicians":            {"Alternate Universe - Modern Setting"},
	"Alternate Universe - Fantasy":              {"Alternate Universe"},
	"Alternate Universe - Magic":                {"Alternate Universe - Fantasy"},
	"Alternate Universe - Mermaids":             {"Alternate Universe - Fantasy"},
	"Alternate Universe - Royalty":              {"Alternate Universe"},
	"Alternate Universe - Space":                {"Alternate Universe"},
	"Alternate Universe - Pirates":              {"Alternate Universe - Historical"},
	"Alternate Universe - Historical":           {"Alternate Universe"},
	"Alternate Universe - Victorian":            {"Alternate Universe - Historical"},
	"Alternate Universe - Regency":              {"Alternate Universe - Historical"},
	"Alternate Universe - Soulmates":            {"Alternate Universe", "Soulmates"},
	"Alternate Universe - Time Travel":          {"Alternate Universe", "Time Travel"},
	"Alternate Universe - Role Reversal":        {"Alternate Universe"},
	"Alternate Universe - Everyone Lives":       {"Alternate Universe - Canon Divergence"},
	"Soulmate-Identifying Marks":                {"Soulmates"},
	"Tooth-Rotting Fluff":                       {"Fluff"},
	"Domestic Fluff":                            {"Fluff", "Domesticity"},
	"Established Relationship Fluff":            {"Fluff", "Established Relationship"},
	"Mostly Fluff":                              {"Fluff"},
	"Fluff and Angst":                           {"Fluff", "Angst"},
	"Angst with a Happy Ending":                 {"Angst", "Happy Ending"},
	"Light Angst":                               {"Angst"},
	"Mild Angst":                                {"Light Angst"},
	"Heavy Angst":                               {"Angst"},
	"Emotional Hurt/Comfort":                    {"Hurt/Comfort"},
	"Friends to Lovers":                         {"Getting Together"},
	"Enemies to Lovers":                         {"Getting Together"},
	"Rivals to Lovers":                          {"Enemies to Lovers"},
	"Strangers to Lovers":                       {"Getting Together"},
	"Mutual Pining":                             {"Pining"},
	"Fake Marriage":                             {"Fake Dating"},
	"Murder Mystery":                            {"Mystery"},
	"Crack Treated Seriously":                   {"Crack"},
	"Team as Family":                            {"Found Family"},
	"Sibling Bonding":                           {"Siblings"},
	"Space Opera":                               {"Science Fiction"},
	"Post-War":                                  {"Aftermath of War"},
	"Short One Shot":                            {"Oneshot"},
	"Long One Shot":                             {"Oneshot"},
}

// Synonyms for popular freeforms: genuinely different strings (case-folded
// names are the same tag, so no lower-case variants).
var freeformSynonyms = map[string][]string{
	"Fluff":                                 {"fluffy", "pure fluff", "Fluffy Fluff"},
	"Angst":                                 {"angsty", "so much angst"},
	"Hurt/Comfort":                          {"hurt comfort", "h/c", "Hurt and Comfort"},
	"Romance":                               {"romance fic", "Romantic"},
	"Alternate Universe":                    {"AU", "alt universe"},
	"Humor":                                 {"Humour", "funny"},
	"Angst with a Happy Ending":             {"angst with happy ending", "awhe"},
	"Friendship":                            {"frienship", "Friendships"},
	"Family":                                {"famliy", "Family Feels"},
	"Established Relationship":              {"est relationship", "established relationships"},
	"Slow Burn":                             {"slowburn", "Slow-Burn", "very slow burn"},
	"Alternate Universe - Canon Divergence": {"canon divergent au", "Canon Divergent"},
	"Fluff and Angst":                       {"fluff & angst", "Angst and Fluff"},
	"Found Family":                          {"found family trope", "Found Families"},
	"Alternate Universe - Modern Setting":   {"Modern AU", "modern setting au"},
	"Canon Compliant":                       {"canon-compliant", "compliant with canon"},
	"Friends to Lovers":                     {"friends 2 lovers", "Friends-to-Lovers"},
	"Mutual Pining":                         {"mutual pine", "pining for each other"},
	"Post-Canon":                            {"post canon", "After Canon"},
	"Domestic Fluff":                        {"domestic fluffiness", "Domestic Bliss"},
	"Character Study":                       {"char study", "Character Studies"},
	"Enemies to Lovers":                     {"enemies2lovers", "Enemies-to-Lovers"},
	"Getting Together":                      {"getting together fic", "Get Together"},
	"Fix-It":                                {"fix it fic", "Fixit"},
	"Oneshot":                               {"one-shot", "one shot fic"},
	"Alternate Universe - Coffee Shops & Cafés": {"Coffee Shop AU", "coffeeshop au", "Alternate Universe - Coffee Shops & Cafes"},
	"Alternate Universe - College/University":   {"College AU", "university au"},
	"Time Travel": {"timetravel", "Time-Travel"},
	"Soulmates":   {"soulmate au", "Soul Mates"},
	"Fake Dating": {"fake relationship", "Pretend Relationship"},
}

// Templates for rare, never-wrangled freeforms ("kitchen scene at midnight").
var rarePlaces = []string{
	"kitchen", "rooftop", "library", "train", "balcony", "garden", "laundromat",
	"bus stop", "attic", "pier", "greenhouse", "stairwell", "car park", "bakery",
	"lighthouse", "ferry", "bookshop", "hallway", "porch", "market",
}
var rareTimes = []string{
	"at midnight", "at dawn", "at 3am", "in the rain", "after the storm",
	"on a tuesday", "before breakfast", "during a power cut", "in december",
	"after closing time", "at the end of summer", "on the last train",
}
var rareThings = []string{
	"cups of tea", "houseplants", "umbrellas", "paper cranes", "borrowed jumpers",
	"cinnamon buns", "lost keys", "postcards", "library books", "spare blankets",
	"mismatched socks", "jam jars", "cassette tapes", "sticky notes", "pigeons",
}
var rarePhrases = []string{
	"I wrote this instead of sleeping", "this got away from me", "the author regrets nothing",
	"someone please hug them", "they are both very tired", "nobody is okay but it is fine",
	"the cat is the real protagonist", "tags to be added", "listen I just love them",
	"happy birthday to my best friend", "written on my phone", "first fic in this fandom",
	"unapologetically soft", "the plot is an afterthought", "comments make me happy",
	"my first fic please be nice", "i have no excuse for this", "self-indulgent",
	"no beta we die like heroes", "blame the group chat",
}

var languages = []string{"en", "es", "fr", "de", "zh", "ja", "ru"}

// Prose ---------------------------------------------------------------------

var proseNouns = []string{
	"letter", "kettle", "window", "coat", "lamp", "map", "notebook", "scarf",
	"teacup", "door", "bicycle", "basket", "candle", "clock", "chair", "table",
	"blanket", "umbrella", "key", "photograph", "radio", "garden gate", "staircase",
	"bookshelf", "envelope", "suitcase", "loaf of bread", "pair of boots", "train ticket",
	"jar of honey", "pencil", "violin", "compass", "telescope", "postcard", "mug",
}

var proseAdjectives = []string{
	"old", "small", "blue", "worn", "quiet", "warm", "heavy", "familiar", "crooked",
	"faded", "green", "narrow", "bright", "cold", "careful", "borrowed", "new",
	"dusty", "patient", "tidy", "yellow", "soft", "half-finished", "forgotten",
}

var proseVerbsPast = []string{
	"picked up", "put down", "folded", "carried", "opened", "closed", "fixed",
	"studied", "straightened", "found", "moved", "checked", "wrapped", "set aside",
	"turned over", "looked at", "dusted off", "polished", "repaired", "handed over",
}

var prosePlaces = []string{
	"window", "kitchen", "front step", "harbor wall", "library", "market square",
	"station platform", "garden", "hallway", "attic", "old bridge", "bakery",
	"bus stop", "riverbank", "workshop", "lighthouse", "back porch", "corner shop",
}

var prosePreps = []string{"by", "near", "beside", "across from", "behind", "outside", "in front of"}

var proseAdverbs = []string{
	"slowly", "quietly", "carefully", "at last", "without a word", "again",
	"for a while", "all the same", "with a small smile", "after a moment", "gently",
}

var proseWeather = []string{
	"rain", "wind", "fog", "snow", "afternoon light", "evening", "morning mist",
	"sun", "first frost", "storm",
}

var proseWeatherVerbs = []string{
	"drifted", "settled", "moved", "lingered", "gathered", "rolled", "passed",
}

var proseAtmospheres = []string{
	"quiet", "cold", "warm", "bright", "still", "grey", "peaceful", "busy",
	"dark", "windy", "crowded", "calm",
}

var proseFeelings = []string{
	"tired", "hopeful", "calm", "restless", "content", "curious", "unsure",
	"relieved", "thoughtful", "glad", "homesick", "awake",
}

var proseDialogue = []string{
	"We should go before the rain starts",
	"I remembered the bread this time",
	"I think the kettle is boiling",
	"It is later than I thought",
	"You can stay as long as you like",
	"Tell me about the journey",
	"I kept the letter you sent",
	"The train leaves at six",
	"Come and sit down for a minute",
	"I never learned how to fix it",
	"There is soup on the stove",
	"We will manage somehow",
	"I missed this place",
	"Let me carry that for you",
	"Nobody has been up here in years",
	"I brought you a coat",
}

var proseTimes = []string{
	"In the morning", "That evening", "Later", "By noon", "Before dawn",
	"On the third day", "After supper", "Some hours later", "At first",
	"For a long time", "When the bells rang", "Eventually",
}

var chapterTitleWords = []string{
	"Beginnings", "The Crossing", "Homecoming", "Letters", "Small Hours", "Interlude",
	"The Harbor", "Departures", "Arrivals", "Winter", "The Long Night", "First Light",
	"Old Friends", "The Market", "Storm Warning", "Quiet", "The Road North",
	"Keys", "What Remains", "Epilogue",
}

var titleVerbs = []string{
	"Finding", "Keeping", "Mending", "Chasing", "Leaving", "Counting", "Carrying",
	"Remembering", "Building", "Crossing", "Waiting for", "Following",
}

var titleNumbers = []string{"Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Twelve", "A Hundred", "A Thousand"}

var titlePreps = []string{"Under", "Over", "Beyond", "Beneath", "Across", "Between", "Against", "Before", "After", "Without"}

var titleFixed = []string{
	"The Long Way Home", "Somewhere Only We Know", "All the Light We Kept",
	"A Place to Land", "Slow Mornings", "The Space Between", "Home Is a Verb",
	"Small Mercies", "Where the River Bends", "Ordinary Magic", "Second Spring",
	"The Weight of Snow", "Salt and Honey", "Paper Boats", "What We Carry",
	"Nothing Gold", "Stay a While", "Keep the Lights On", "The Quiet Year",
}
