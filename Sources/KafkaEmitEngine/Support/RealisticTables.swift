/// The built-in tables behind `{first_name}`, `{city}`, `{user_agent}`… (SPEC §2c).
///
/// Source: written by hand for kafka-emit, no list copied from a data set or another project.
/// Names, cities and countries are common facts (frequent given names and surnames, large
/// cities, country names); words are everyday English words; user agents follow the public
/// shape browsers send (product/version and platform tokens) with versions picked by us.
/// Emails use only reserved domains (example.com/.org/.net, RFC 2606 `.example`) and phones
/// the NANP fictional range 555-0100…555-0199, so no generated value reaches a real person.
///
/// Every entry is printable ASCII without `"` or `\`, so a value pasted into JSON text stays
/// valid JSON (TemplateDataTests checks it). Entries are `|`-separated to keep the file short.
enum RealisticTables {
    static let firstNames = split("""
        James|Mary|John|Patricia|Robert|Jennifer|Michael|Linda|William|Elizabeth|David|Barbara|Richard|Susan|Joseph|Jessica|\
        Thomas|Sarah|Charles|Karen|Daniel|Nancy|Matthew|Lisa|Anthony|Betty|Mark|Margaret|Paul|Sandra|Steven|Ashley|Andrew|\
        Emily|Joshua|Donna|Kevin|Michelle|Brian|Carol|George|Amanda|Edward|Melissa|Ronald|Deborah|Timothy|Stephanie|Jason|\
        Rebecca|Jeffrey|Laura|Ryan|Sharon|Jacob|Cynthia|Gary|Kathleen|Nicholas|Amy|Eric|Shirley|Jonathan|Angela|Stephen|\
        Helen|Larry|Anna|Justin|Brenda|Scott|Pamela|Brandon|Nicole|Benjamin|Samantha|Samuel|Katherine|Gregory|Emma|Noah|\
        Olivia|Liam|Sophia|Lucas|Mia|Mateo|Lucia|Hugo|Chloe|Luca|Giulia|Leon|Hannah|Felix|Lea|Oscar|Ingrid|Lars|Astrid|\
        Pedro|Ana|Diego|Camila|Rafael|Sofia|Ahmed|Fatima|Omar|Leila|Yusuf|Amina|Arjun|Priya|Rahul|Ananya|Wei|Mei|Hiroshi|\
        Yuki|Kenji|Sakura|Minjun|Jiwoo|Kwame|Ama|Chidi|Ngozi|Tomasz|Zofia|Ivan|Olga|Nikos|Eleni|Sean|Aoife|Mateus|Beatriz
        """)
    static let lastNames = split("""
        Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Gonzalez|Wilson|Anderson|\
        Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|Harris|Sanchez|Clark|Ramirez|Lewis|Robinson|Walker|Young|\
        Allen|King|Wright|Scott|Torres|Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|Carter|\
        Roberts|Mueller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Hoffmann|Dubois|Durand|Lefebvre|Moreau|Laurent|\
        Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Silva|Santos|Oliveira|Souza|Pereira|Costa|Fernandes|Jansen|\
        DeVries|Bakker|Visser|Andersson|Johansson|Karlsson|Nielsen|Hansen|Larsen|Kowalski|Nowak|Wisniewski|Ivanov|Petrov|\
        Popescu|Horvat|Novak|Papadopoulos|Murphy|Kelly|OBrien|Walsh|Kim|Park|Choi|Wang|Li|Zhang|Liu|Chen|Yang|Huang|Sato|\
        Suzuki|Takahashi|Tanaka|Watanabe|Patel|Sharma|Singh|Kumar|Gupta|Khan|Ali|Hassan|Ibrahim|Okafor|Mensah|Mwangi|Dlamini
        """)
    static let cities = split("""
        Tokyo|Delhi|Shanghai|Sao Paulo|Mexico City|Cairo|Mumbai|Beijing|Dhaka|Osaka|New York|Karachi|Buenos Aires|Istanbul|\
        Kolkata|Manila|Lagos|Rio de Janeiro|Guangzhou|Los Angeles|Moscow|Shenzhen|Lahore|Bangalore|Paris|Bogota|Jakarta|\
        Chennai|Lima|Bangkok|Seoul|Nagoya|Hyderabad|London|Tehran|Chicago|Chengdu|Nanjing|Wuhan|Ho Chi Minh City|Luanda|\
        Ahmedabad|Kuala Lumpur|Hong Kong|Hangzhou|Riyadh|Toronto|Santiago|Madrid|Singapore|Houston|Dallas|Philadelphia|\
        Miami|Atlanta|Berlin|Sydney|Melbourne|Barcelona|Rome|Milan|Naples|Hamburg|Munich|Vienna|Warsaw|Budapest|Bucharest|\
        Prague|Stockholm|Copenhagen|Oslo|Helsinki|Amsterdam|Rotterdam|Brussels|Zurich|Geneva|Lisbon|Porto|Dublin|Athens|\
        Manchester|Birmingham|Lyon|Marseille|Montreal|Vancouver|San Francisco|Seattle|Boston|Denver|Phoenix|Nairobi|\
        Johannesburg|Cape Town|Casablanca|Accra|Addis Ababa|Dubai|Doha|Tel Aviv|Auckland|Wellington|Reykjavik|Tallinn
        """)
    static let countries = split("""
        United States|Canada|Mexico|Brazil|Argentina|Chile|Colombia|Peru|Uruguay|United Kingdom|Ireland|France|Germany|\
        Netherlands|Belgium|Luxembourg|Switzerland|Austria|Italy|Spain|Portugal|Denmark|Norway|Sweden|Finland|Iceland|Poland|\
        Czechia|Slovakia|Hungary|Romania|Bulgaria|Greece|Croatia|Slovenia|Estonia|Latvia|Lithuania|Ukraine|Turkey|Israel|\
        Egypt|Morocco|Nigeria|Ghana|Kenya|Ethiopia|South Africa|Saudi Arabia|United Arab Emirates|Qatar|India|Pakistan|\
        Bangladesh|Sri Lanka|China|Japan|South Korea|Taiwan|Vietnam|Thailand|Malaysia|Singapore|Indonesia|Philippines|\
        Australia|New Zealand
        """)
    static let streetNames = split("""
        Main|Oak|Pine|Maple|Cedar|Elm|Washington|Lake|Hill|Park|Church|High|Station|Mill|River|Spring|Sunset|Meadow|\
        Forest|Highland|Lincoln|Jefferson|Madison|Franklin|Chestnut|Walnut|Willow|Birch|Cherry|Valley|Ridge|Bridge|Market|\
        Harbor|Garden|King|Queen|Victoria|Albert|Mountain|North|South|East|West|Center|College|School|Orchard|Railway|Canal
        """)
    static let streetSuffixes = split("Street|Avenue|Road|Lane|Drive|Way|Court|Place|Boulevard|Terrace|Close|Square")
    static let emailDomains = split("example.com|example.org|example.net|mail.example|shop.example|corp.example")
    static let words = split("""
        time|year|people|way|day|man|thing|woman|life|child|world|school|state|family|student|group|country|problem|hand|\
        part|place|case|week|company|system|program|question|work|government|number|night|point|home|water|room|mother|\
        area|money|story|fact|month|lot|right|study|book|eye|job|word|business|issue|side|kind|head|house|service|friend|\
        father|power|hour|game|line|end|member|law|car|city|community|name|president|team|minute|idea|kid|body|information|\
        back|parent|face|others|level|office|door|health|person|art|war|history|party|result|change|morning|reason|research|\
        girl|guy|moment|air|teacher|force|education|order|market|price|stream|record|event|signal|river|garden|window|paper|\
        music|light|table|field|letter|value|green|quick|small|large|early|young|important|public|bad|same|able|bright|\
        quiet|simple|happy|ready|clear|open|run|make|find|give|tell|call|keep|begin|show|hear|play|move|live|believe|bring|\
        write|provide|sit|stand|lose|pay|meet|include|continue|learn|lead|understand|watch|follow|stop|create|speak|read|\
        spend|grow|offer|remember|love|consider|appear|buy|wait|serve|send|expect|build|stay|fall|reach|remain|suggest|raise
        """)
    static let userAgents = split("""
        Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36|\
        Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.0.0|\
        Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0|\
        Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15|\
        Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36|\
        Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0|\
        Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36|\
        Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0|\
        Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1|\
        Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1|\
        Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36|\
        Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36|\
        Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0|\
        curl/8.5.0|Wget/1.21.4|python-requests/2.31.0|okhttp/4.12.0|Go-http-client/2.0|PostmanRuntime/7.37.3
        """)

    /// IBAN countries (ISO 13616 registry lengths): the code and the BBAN's shape, one
    /// character per position: `n` a digit, `a` an upper-case letter, `c` either.
    static let ibanFormats: [(country: String, bban: String)] = [
        ("DE", String(repeating: "n", count: 18)),                            // 22
        ("GB", "aaaa" + String(repeating: "n", count: 14)),                   // 22
        ("FR", String(repeating: "n", count: 10) + String(repeating: "c", count: 11) + "nn"),   // 27
        ("ES", String(repeating: "n", count: 20)),                            // 24
        ("IT", "a" + String(repeating: "n", count: 10) + String(repeating: "c", count: 12)),    // 27
        ("NL", "aaaa" + String(repeating: "n", count: 10)),                   // 18
        ("BE", String(repeating: "n", count: 12)),                            // 16
        ("AT", String(repeating: "n", count: 16)),                            // 20
        ("CH", String(repeating: "n", count: 5) + String(repeating: "c", count: 12)),  // 21
        ("PL", String(repeating: "n", count: 24)),                            // 28
        ("SE", String(repeating: "n", count: 20)),                            // 24
        ("NO", String(repeating: "n", count: 11)),                            // 15
        ("DK", String(repeating: "n", count: 14)),                            // 18
        ("IE", "aaaa" + String(repeating: "n", count: 14)),                   // 22
        ("PT", String(repeating: "n", count: 21)),                            // 25
    ]

    private static func split(_ s: String) -> [[UInt8]] {
        s.split(separator: "|").map { Array($0.utf8) }
    }

    /// Every table, by name, for the JSON-safety test.
    static var all: [(String, [[UInt8]])] {
        [("first names", firstNames), ("last names", lastNames), ("cities", cities), ("countries", countries),
         ("street names", streetNames), ("street suffixes", streetSuffixes), ("email domains", emailDomains),
         ("words", words), ("user agents", userAgents)]
    }
}
