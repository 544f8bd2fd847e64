"""The topics added for issue 15 (written 2026-12-06, before any tuning against them).

Same form as ``build_labelled_queries.TOPICS``: one search intent written as a Korean and an English
query, with inclusion rules per document language, reviewed by reading the matches (``--review``).
Written from what a program manager or a partner would type, not from the engine or its glossary:
product categories, modalities, diseases, drug classes and the drugs in them, company names (as
people write them, not as KRX lists them) and places (the KRX 지역 of each company).
"""

from __future__ import annotations

from build_labelled_queries import Rule, Topic, krx, trial


def name(pattern: str) -> Rule:
    """KRX companies by their listed name (회사명)."""
    return Rule(pattern, ("name",))


def region(pattern: str) -> Rule:
    """KRX companies by their registered region (지역)."""
    return Rule(pattern, ("region",))


TOPICS = [
    # --- diseases and conditions ---------------------------------------------------------------------
    Topic("stroke", "뇌졸중", "stroke", trials=trial(r"\bstroke"), tags=("disease",)),
    Topic("anxiety", "불안 장애", "anxiety", trials=trial(r"anxiety"), tags=("disease",)),
    Topic("delirium", "섬망", "delirium", trials=trial(r"delirium"), tags=("disease",)),
    Topic("apathy", "무감동 무관심 증상", "apathy", trials=trial(r"apathy"), tags=("disease",)),
    Topic(
        "mci",
        "경도인지장애",
        "mild cognitive impairment",
        trials=trial(r"mild cognitive impairment|\bMCI\b", interventions=False),
        tags=("disease",),
    ),
    Topic(
        "ftd",
        "전두측두엽 치매",
        "frontotemporal dementia",
        trials=trial(r"frontotemporal|\bFTD\b", interventions=False),
        tags=("disease",),
    ),
    Topic(
        "lewy",
        "루이소체 치매",
        "dementia with Lewy bodies",
        trials=trial(r"lewy", interventions=False),
        tags=("disease",),
    ),
    Topic(
        "vascular_dementia",
        "혈관성 치매",
        "vascular dementia",
        trials=trial(r"vascular dementia|vascular cognitive", interventions=False),
        tags=("disease",),
    ),
    Topic("hypertension", "고혈압", "hypertension", krx(r"고혈압"), trial(r"hypertens"), tags=("disease",)),
    Topic("obesity", "비만", "obesity", krx(r"비만"), trial(r"obes"), tags=("disease",)),
    Topic("hearing_loss", "난청 청력 저하", "hearing loss", trials=trial(r"hearing"), tags=("disease",)),
    Topic(
        "eye_disease",
        "안과 질환",
        "eye diseases",
        krx(r"안과|점안|안약|안구건조|녹내장|황반"),
        trial(r"glaucoma|macular|ophthalm|cataract", exclude=r"retinal imaging"),
        tags=("disease",),
    ),
    Topic("pain", "통증", "pain", krx(r"진통|통증"), trial(r"\bpain\b|analges"), tags=("disease",)),
    Topic(
        "liver_disease",
        "간질환",
        "liver disease",
        krx(r"간질환|간장질환|간기능|지방간|간염"),
        trial(r"\bliver\b|hepat"),
        tags=("disease",),
    ),
    Topic(
        "kidney_disease",
        "신장 질환 투석",
        "kidney disease and dialysis",
        krx(r"신장질환|신장병|신부전|투석|신장암"),
        trial(r"kidney|\brenal\b|dialysis"),
        tags=("disease",),
    ),
    Topic(
        "osteoporosis",
        "골다공증",
        "osteoporosis",
        krx(r"골다공"),
        trial(r"osteopor"),
        tags=("disease",),
    ),
    Topic("arthritis", "관절염", "arthritis", krx(r"관절염|관절"), trial(r"arthritis"), tags=("disease",)),
    Topic("hiv", "에이즈 HIV", "HIV", krx(r"HIV|에이즈"), trial(r"\bHIV\b"), tags=("disease",)),
    Topic(
        "sleep_apnea",
        "수면 무호흡",
        "sleep apnea",
        krx(r"수면무호흡|수면 무호흡|양압기"),
        trial(r"apnea|CPAP"),
        tags=("disease",),
    ),
    Topic(
        "falls",
        "낙상 예방",
        "fall prevention",
        trials=trial(r"\bfalls\b|\bfall (prevention|risk)"),
        tags=("disease",),
    ),
    Topic("hair_loss", "탈모", "hair loss", krx(r"탈모|발모|모발"), tags=("disease",)),
    Topic("cancer", "암 진단", "cancer diagnosis", krx(r"암 ?진단|암진단|암 조기진단"), tags=("disease",)),
    # --- drug classes and drugs ----------------------------------------------------------------------
    Topic(
        "antipsychotic",
        "항정신병 약물",
        "antipsychotic drugs",
        krx(r"항정신병|조현병"),
        trial(
            r"antipsychot|risperidone|quetiapine|olanzapine|aripiprazole|brexpiprazole|haloperidol|pimavanserin"
        ),
        tags=("drug_class",),
    ),
    Topic(
        "antidepressant",
        "항우울제",
        "antidepressants",
        krx(r"항우울|우울증"),
        trial(
            r"antidepress|sertraline|citalopram|escitalopram|mirtazapine|trazodone|fluoxetine|paroxetine"
            r"|venlafaxine|duloxetine|vortioxetine"
        ),
        tags=("drug_class",),
    ),
    Topic(
        "cholinesterase",
        "콜린에스테라제 억제제",
        "cholinesterase inhibitors",
        trials=trial(r"cholinesterase|donepezil|aricept|rivastigmine|exelon|galantamine|razadyne"),
        tags=("drug_class",),
    ),
    Topic(
        "donepezil", "도네페질", "donepezil", krx(r"도네페질"), trial(r"donepezil|aricept"), tags=("drug",)
    ),
    Topic("memantine", "메만틴", "memantine", krx(r"메만틴"), trial(r"memantine|namenda"), tags=("drug",)),
    Topic(
        "anti_amyloid",
        "아밀로이드 항체 치료제",
        "anti-amyloid antibodies",
        trials=trial(
            r"aducanumab|lecanemab|donanemab|gantenerumab|solanezumab|bapineuzumab|crenezumab|BAN2401"
            r"|anti-amyloid|remternetug"
        ),
        tags=("drug_class",),
    ),
    Topic("lecanemab", "레카네맙", "lecanemab", trials=trial(r"lecanemab|BAN2401|leqembi"), tags=("drug",)),
    Topic(
        "anti_tau",
        "타우 항체",
        "anti-tau antibodies",
        trials=trial(
            r"semorinemab|gosuranemab|tilavonemab|zagotenemab|bepranemab|E2814|anti-tau|BIIB092|ABBV-8E12"
        ),
        tags=("drug_class",),
    ),
    Topic(
        "bace",
        "BACE 억제제",
        "BACE inhibitors",
        trials=trial(r"BACE|verubecestat|lanabecestat|atabecestat|elenbecestat|umibecestat|MK-8931"),
        tags=("drug_class",),
    ),
    Topic(
        "statins",
        "스타틴 고지혈증 약",
        "statins",
        krx(r"고지혈|스타틴|콜레스테롤"),
        trial(r"statin\b|statins|simvastatin|atorvastatin|pravastatin|rosuvastatin"),
        tags=("drug_class",),
    ),
    Topic(
        "glp1",
        "GLP-1 계열 약물",
        "GLP-1 receptor agonists",
        krx(r"GLP-1"),
        trial(r"GLP-1|semaglutide|liraglutide|exenatide|dulaglutide"),
        tags=("drug_class",),
    ),
    Topic("metformin", "메트포르민", "metformin", trials=trial(r"metformin"), tags=("drug",)),
    Topic(
        "antiviral",
        "항바이러스제",
        "antiviral drugs",
        krx(r"항바이러스"),
        trial(r"antiviral|valacyclovir|valaciclovir|acyclovir"),
        tags=("drug_class",),
    ),
    Topic(
        "antibiotic",
        "항생제",
        "antibiotics",
        krx(r"항생제|항균제"),
        trial(r"antibiot|doxycycline|rifampin|minocycline"),
        tags=("drug_class",),
    ),
    Topic(
        "anti_inflammatory",
        "소염 진통제",
        "anti-inflammatory drugs",
        krx(r"소염|항염"),
        trial(r"anti-inflammat|NSAID|naproxen|celecoxib|ibuprofen|rofecoxib|indomethacin"),
        tags=("drug_class",),
    ),
    Topic(
        "hormone_therapy",
        "호르몬 치료",
        "hormone therapy",
        krx(r"호르몬"),
        trial(r"estrogen|estradiol|hormone replacement|hormone therapy|testosterone"),
        tags=("drug_class",),
    ),
    Topic("melatonin", "멜라토닌", "melatonin", trials=trial(r"melatonin"), tags=("drug",)),
    Topic(
        "cannabinoids",
        "대마 성분 의약품",
        "cannabinoids",
        krx(r"대마|칸나비"),
        trial(r"cannab|dronabinol|nabilone|\bTHC\b"),
        tags=("drug_class",),
    ),
    Topic(
        "insulin_drug",
        "인슐린",
        "insulin",
        krx(r"인슐린"),
        trial(r"insulin"),
        tags=("drug",),
    ),
    # --- modalities and interventions ----------------------------------------------------------------
    Topic(
        "antisense",
        "안티센스 핵산 치료제",
        "antisense oligonucleotides",
        krx(r"안티센스|올리고뉴클레오|핵산치료|RNA 치료"),
        trial(r"antisense|oligonucleotide|BIIB080"),
        tags=("modality",),
    ),
    Topic(
        "exosome",
        "엑소좀",
        "exosomes",
        krx(r"엑소좀"),
        trial(r"exosome|extracellular vesicle"),
        tags=("modality",),
    ),
    Topic(
        "cord_blood",
        "제대혈",
        "umbilical cord blood",
        krx(r"제대혈"),
        trial(r"umbilical cord|cord blood"),
        tags=("modality",),
    ),
    Topic(
        "immunotherapy",
        "면역 치료",
        "immunotherapy",
        krx(r"면역치료|면역항암|면역세포"),
        trial(r"immunotherap|active immuni|AN1792|UB-311|ACC-001|CAD106|AADvac"),
        tags=("modality",),
    ),
    Topic(
        "plasma_exchange",
        "혈장 교환 치료",
        "plasma exchange",
        trials=trial(
            r"plasma exchange|plasmapheresis|young (donor )?plasma|fresh frozen plasma|\bAMBAR\b|albumin 5%"
        ),
        tags=("modality",),
    ),
    Topic(
        "transdermal_patch",
        "경피 패치",
        "transdermal patch",
        krx(r"패치|경피"),
        trial(r"transdermal|\bpatch\b"),
        tags=("modality",),
    ),
    Topic(
        "focused_ultrasound",
        "집속 초음파 치료",
        "focused ultrasound",
        krx(r"집속|HIFU|하이푸"),
        trial(r"focused ultrasound|HIFU"),
        tags=("modality",),
    ),
    Topic(
        "hyperbaric",
        "고압 산소 치료",
        "hyperbaric oxygen therapy",
        krx(r"고압산소|고압 산소"),
        trial(r"hyperbaric"),
        tags=("modality",),
    ),
    Topic(
        "genetic_testing",
        "유전자 검사",
        "genetic testing",
        krx(r"유전자 ?검사|유전체 ?분석|유전자 ?분석|유전체 ?검사"),
        trial(r"genetic test|genetic counsel|genotyp|genetic risk disclosure"),
        tags=("modality",),
    ),
    Topic(
        "sequencing",
        "유전체 시퀀싱 NGS",
        "genome sequencing",
        krx(r"NGS|시퀀싱|염기서열"),
        trial(r"sequencing"),
        tags=("modality",),
    ),
    Topic(
        "telemedicine",
        "원격 진료",
        "telemedicine",
        krx(r"원격진료|원격의료|원격 진료|비대면 ?진료"),
        trial(r"telemedicine|telehealth|telemonitor|telephone-based|videoconferenc"),
        tags=("modality",),
    ),
    Topic("yoga", "요가", "yoga", trials=trial(r"yoga"), tags=("intervention",)),
    Topic(
        "meditation",
        "명상 마음챙김",
        "mindfulness meditation",
        trials=trial(r"meditat|mindful"),
        tags=("intervention",),
    ),
    Topic("tai_chi", "태극권", "tai chi", trials=trial(r"tai ?chi|taiji"), tags=("intervention",)),
    Topic("dance", "댄스 춤", "dance", trials=trial(r"\bdanc"), tags=("intervention",)),
    Topic(
        "speech_therapy",
        "언어 장애 실어증",
        "aphasia and speech problems",
        trials=trial(r"speech|language therap|aphasia"),
        tags=("intervention",),
    ),
    Topic(
        "home_care",
        "재가 돌봄 방문 간호",
        "home care",
        krx(r"방문요양|방문간호|재가 ?(돌봄|요양|서비스)"),
        trial(r"home care|home-based|in-home|home visit"),
        tags=("intervention",),
    ),
    Topic("keto", "케톤 식이요법", "ketogenic diet", trials=trial(r"keto"), tags=("intervention",)),
    Topic(
        "mediterranean",
        "지중해식 식단",
        "Mediterranean diet",
        trials=trial(r"mediterranean|\bMIND diet"),
        tags=("intervention",),
    ),
    Topic(
        "omega3",
        "오메가3",
        "omega-3 fatty acids",
        krx(r"오메가"),
        trial(r"omega|docosahex|\bDHA\b|fish oil"),
        tags=("intervention",),
    ),
    Topic("vitamins", "비타민", "vitamins", krx(r"비타민"), trial(r"vitamin"), tags=("intervention",)),
    Topic(
        "ginkgo",
        "은행잎 추출물",
        "ginkgo biloba",
        krx(r"은행잎|징코"),
        trial(r"ginkgo|EGb"),
        tags=("intervention",),
    ),
    Topic(
        "curcumin",
        "커큐민 강황",
        "curcumin",
        krx(r"커큐민|강황"),
        trial(r"curcumin|turmeric"),
        tags=("intervention",),
    ),
    Topic("ginseng", "인삼 홍삼", "ginseng", krx(r"인삼|홍삼"), trial(r"ginseng"), tags=("intervention",)),
    Topic(
        "coffee",
        "커피",
        "coffee",
        krx(r"커피"),
        trial(r"coffee|caffeine", exclude=r"cytochrome|cocktail|drug interaction"),
        tags=("intervention",),
    ),
    Topic(
        "green_tea",
        "녹차",
        "green tea",
        krx(r"녹차"),
        trial(r"green tea|EGCG|epigallocatechin"),
        tags=("intervention",),
    ),
    Topic(
        "herbal",
        "한약 생약 제제",
        "herbal medicine",
        krx(r"한약|생약|천연물"),
        trial(r"herbal|traditional chinese medicine|decoction|kampo|yokukansan"),
        tags=("intervention",),
    ),
    Topic(
        "nicotine",
        "니코틴",
        "nicotine",
        krx(r"니코틴|전자담배|궐련"),
        trial(r"\bnicotine\b"),
        tags=("intervention",),
    ),
    Topic(
        "video_game",
        "게임",
        "video games",
        krx(r"게임"),
        trial(r"video ?game|serious game|exergam|gaming"),
        tags=("product",),
    ),
    Topic(
        "smartphone",
        "스마트폰",
        "smartphones",
        krx(r"스마트폰|휴대폰|휴대전화"),
        trial(r"smartphone|mobile phone|cell phone"),
        tags=("product",),
    ),
    Topic("sensor", "센서", "sensors", krx(r"센서"), trial(r"sensor"), tags=("product",)),
    Topic(
        "hearing_aid",
        "보청기",
        "hearing aids",
        krx(r"보청기"),
        trial(r"hearing aid|cochlear implant"),
        tags=("product",),
    ),
    Topic(
        "blood_pressure_monitor",
        "혈압계",
        "blood pressure monitors",
        krx(r"혈압계"),
        trial(r"blood pressure monitor"),
        tags=("product",),
    ),
    Topic(
        "syringe",
        "주사기",
        "syringes",
        krx(r"주사기|주사침"),
        trial(r"syringe|auto-?injector|pen injector"),
        tags=("product",),
    ),
    Topic(
        "led_lighting",
        "LED 조명",
        "LED lighting",
        krx(r"(?<!O)LED"),
        trial(r"(?<!O)\bLED\b|light-emitting diode"),
        tags=("product",),
    ),
    # --- Korean industries (the trials have none) ------------------------------------------------------
    Topic(
        "auto_parts",
        "자동차 부품",
        "automotive parts",
        krx(r"자동차 ?부품|자동차 신품 부품", industry=True),
        tags=("product",),
    ),
    Topic("camera_module", "카메라 모듈", "camera modules", krx(r"카메라 ?모듈"), tags=("product",)),
    Topic("animal_feed", "사료", "animal feed", krx(r"사료", exclude=r"자료"), tags=("product",)),
    Topic("fertilizer", "비료", "fertilizer", krx(r"비료"), tags=("product",)),
    Topic("pesticide", "농약", "pesticides", krx(r"농약|살충제|제초제"), tags=("product",)),
    Topic("cement", "시멘트", "cement", krx(r"시멘트|레미콘"), tags=("product",)),
    Topic(
        "shipping",
        "해운 해상운송",
        "ocean shipping",
        krx(r"해운|해상운송|해상 운송", industry=True),
        tags=("product",),
    ),
    Topic(
        "aerospace",
        "항공기 부품 위성",
        "aircraft parts and satellites",
        krx(r"항공기|위성|우주"),
        tags=("product",),
    ),
    Topic(
        "defense",
        "방위산업 무기",
        "defense equipment",
        krx(r"방산|방위|군수|유도무기|전차|탄약|자주포"),
        tags=("product",),
    ),
    Topic("railway", "철도 차량", "railway vehicles", krx(r"철도"), tags=("product",)),
    Topic(
        "telecom_equipment",
        "통신 장비 중계기",
        "telecommunications equipment",
        krx(r"통신장비|통신 장비|중계기|기지국|광통신"),
        tags=("product",),
    ),
    Topic("security_software", "보안 소프트웨어", "security software", krx(r"보안"), tags=("product",)),
    Topic("cloud", "클라우드 서비스", "cloud services", krx(r"클라우드"), tags=("product",)),
    Topic(
        "ecommerce",
        "전자상거래 쇼핑몰",
        "e-commerce",
        krx(r"전자상거래|쇼핑몰|온라인 ?쇼핑"),
        tags=("product",),
    ),
    Topic("textiles", "섬유 원사", "textiles and yarn", krx(r"섬유|원사|직물|원단"), tags=("product",)),
    Topic("apparel", "의류 패션", "apparel", krx(r"의류|의복|패션"), tags=("product",)),
    Topic("furniture", "가구", "furniture", krx(r"가구"), tags=("product",)),
    Topic(
        "paper", "제지 골판지", "paper and cardboard", krx(r"제지|골판지|인쇄용지|판지"), tags=("product",)
    ),
    Topic("tires", "타이어", "tires", krx(r"타이어"), tags=("product",)),
    Topic("glass", "유리", "glass", krx(r"유리", exclude=r"유리섬유 ?강화"), tags=("product",)),
    Topic("wind_power", "풍력 발전", "wind power", krx(r"풍력"), tags=("product",)),
    Topic("nuclear", "원자력 원전", "nuclear power", krx(r"원전|원자력"), tags=("product",)),
    Topic(
        "ev_charger",
        "전기차 충전기",
        "electric vehicle chargers",
        krx(r"충전기|충전 ?인프라", also=r"전기차|EV"),
        tags=("product",),
    ),
    Topic("machine_tools", "공작기계", "machine tools", krx(r"공작기계|CNC"), tags=("product",)),
    Topic("pcb", "인쇄회로기판 PCB", "printed circuit boards", krx(r"PCB|인쇄회로"), tags=("product",)),
    Topic(
        "face_mask",
        "마스크",
        "face masks",
        krx(r"마스크", exclude=r"마스크팩|포토마스크|블랭크마스크"),
        tags=("product",),
    ),
    Topic(
        "beverages",
        "음료 주류",
        "beverages and alcoholic drinks",
        krx(r"음료|소주|맥주|주류|와인"),
        tags=("product",),
    ),
    Topic(
        "semiconductor_test",
        "반도체 테스트 장비 프로브",
        "semiconductor test equipment",
        krx(r"테스트|검사장비|프로브", also=r"반도체"),
        tags=("product",),
    ),
    Topic("lithium_battery_separator", "분리막", "battery separators", krx(r"분리막"), tags=("product",)),
    Topic("electrolyte", "전해액", "battery electrolyte", krx(r"전해액|전해질"), tags=("product",)),
    # --- company names, as people write them ------------------------------------------------------------
    Topic(
        "n_samsung_biologics", "삼성바이오", "Samsung Biologics", name(r"^삼성바이오로직스$"), tags=("name",)
    ),
    Topic("n_celltrion", "셀트리온", "Celltrion", name(r"^셀트리온$"), tags=("name",)),
    Topic("n_hd_hhi", "현대중공업", "Hyundai Heavy Industries", name(r"^HD현대중공업$"), tags=("name",)),
    Topic("n_sk_hynix", "하이닉스", "SK hynix", name(r"^SK하이닉스$"), tags=("name",)),
    Topic("n_lg_chem", "엘지화학", "LG Chem", name(r"^LG화학$"), tags=("name",)),
    Topic("n_korea_zinc", "고려아연", "Korea Zinc", name(r"^고려아연$"), tags=("name",)),
    Topic("n_s_oil", "에쓰오일", "S-Oil", name(r"^S-Oil$"), tags=("name",)),
    Topic("n_hanmi", "한미약품", "Hanmi Pharmaceutical", name(r"^한미약품$"), tags=("name",)),
    Topic("n_yuhan", "유한양행", "Yuhan Corporation", name(r"^유한양행$"), tags=("name",)),
    Topic("n_daewoong", "대웅제약", "Daewoong Pharmaceutical", name(r"^대웅제약$"), tags=("name",)),
    Topic("n_seegene", "씨젠", "Seegene", name(r"^씨젠$"), tags=("name",)),
    Topic("n_hugel", "휴젤", "Hugel", name(r"^휴젤$"), tags=("name",)),
    Topic("n_medytox", "메디톡스", "Medytox", name(r"^메디톡스$"), tags=("name",)),
    Topic("n_vuno", "뷰노", "VUNO", name(r"^뷰노$"), tags=("name",)),
    Topic("n_hyundai_motor", "현대차", "Hyundai Motor Company", name(r"^현대자동차$"), tags=("name",)),
    Topic("n_samsung_heavy", "삼성중공업", "Samsung Heavy Industries", name(r"^삼성중공업$"), tags=("name",)),
    Topic("n_lg_energy", "LG엔솔", "LG Energy Solution", name(r"^LG에너지솔루션$"), tags=("name",)),
    Topic(
        "n_sk_bioscience", "SK바이오사이언스", "SK bioscience", name(r"^SK바이오사이언스$"), tags=("name",)
    ),
    Topic("n_hanwha_aero", "한화에어로", "Hanwha Aerospace", name(r"^한화에어로스페이스$"), tags=("name",)),
    Topic("n_hyundai_rotem", "현대로템", "Hyundai Rotem", name(r"^현대로템$"), tags=("name",)),
    # --- places (the company's registered region) ---------------------------------------------------
    Topic("p_ulsan", "울산", "Ulsan", region(r"울산"), tags=("place",)),
    Topic("p_busan", "부산", "Busan", region(r"부산"), tags=("place",)),
    Topic("p_daegu", "대구", "Daegu", region(r"대구"), tags=("place",)),
    Topic("p_incheon", "인천", "Incheon", region(r"인천"), tags=("place",)),
    Topic("p_gwangju", "광주광역시", "Gwangju", region(r"광주광역시"), tags=("place",)),
    Topic("p_daejeon", "대전", "Daejeon", region(r"대전"), tags=("place",)),
    Topic("p_sejong", "세종시", "Sejong", region(r"세종"), tags=("place",)),
    Topic("p_jeju", "제주", "Jeju", region(r"제주"), tags=("place",)),
    Topic("p_gangwon", "강원도", "Gangwon", region(r"강원"), tags=("place",)),
    Topic("p_jeonnam", "전라남도", "South Jeolla", region(r"전라남도"), tags=("place",)),
    Topic("p_hong_kong", "홍콩", "Hong Kong", region(r"홍콩"), tags=("place",)),
    Topic("p_usa", "미국 기업", "US companies", region(r"미국"), tags=("place",)),
]

#: Place topics added to the development half alone (2026-12-07), after the held-out places fell with
#: the cross-language offset while the dev half's 12 place queries could not show it. Labels are the
#: KRX 지역 field as it is (the trials record no location); the regions no other topic asks for, and
#: four dev regions by their full official names as people also type them. Japan and Singapore are
#: left out: 28 and 2 trial titles name them ("in Japanese patients"), which a region label would
#: count as not relevant. None asks for a held-out topic's region (build_labelled_queries.py checks).
DEV_PLACE_TOPICS = [
    Topic("p_seoul", "서울", "Seoul", region(r"서울"), tags=("place",)),
    Topic("p_gyeonggi", "경기도", "Gyeonggi", region(r"경기"), tags=("place",)),
    Topic("p_chungnam", "충청남도", "South Chungcheong", region(r"충청남도"), tags=("place",)),
    Topic("p_chungbuk", "충청북도", "North Chungcheong Province", region(r"충청북도"), tags=("place",)),
    Topic("p_gyeongnam", "경상남도", "South Gyeongsang Province", region(r"경상남도"), tags=("place",)),
    Topic("p_gyeongbuk", "경상북도", "North Gyeongsang", region(r"경상북도"), tags=("place",)),
    Topic("p_jeonbuk", "전북", "Jeonbuk", region(r"전북"), tags=("place",)),
    Topic("p_cayman", "케이맨 제도", "Cayman Islands", region(r"케이맨"), tags=("place",)),
    Topic("p_ulsan_full", "울산광역시", "Ulsan Metropolitan City", region(r"울산"), tags=("place",)),
    Topic("p_daejeon_full", "대전광역시", "Daejeon Metropolitan City", region(r"대전"), tags=("place",)),
    Topic("p_sejong_full", "세종특별자치시", "Sejong City", region(r"세종"), tags=("place",)),
    Topic("p_gangwon_full", "강원특별자치도", "Gangwon State", region(r"강원"), tags=("place",)),
]

#: Company names added to the development half alone (2026-12-07, ninth stop), because the dev half's
#: 20 name queries were all answered (P@10 1.0) while the held-out and fresh name queries were not, so
#: the dev half could not show what fails. Written as people write them (a short form, a Korean
#: reading, the English name a company uses, an initialism) for KRX companies no other topic asks
#: for; no held-out or fresh name query's results were read to choose them (build_labelled_queries.py
#: refuses a dev-only topic that repeats a held-out or fresh topic).
DEV_NAME_TOPICS = [
    Topic("n_kogas", "가스공사", "KOGAS", name(r"^한국가스공사$"), tags=("name",)),
    Topic("n_samsung_sdi", "삼성SDI", "Samsung SDI", name(r"^삼성SDI$"), tags=("name",)),
    Topic("n_lg_display", "엘지디스플레이", "LG Display", name(r"^LG디스플레이$"), tags=("name",)),
    Topic("n_ncsoft", "엔씨소프트", "NCSOFT", name(r"^엔씨소프트$"), tags=("name",)),
    Topic("n_nongshim", "농심", "Nongshim", name(r"^농심$"), tags=("name",)),
    Topic("n_semco", "삼성전기", "Samsung Electro-Mechanics", name(r"^삼성전기$"), tags=("name",)),
    Topic("n_lg_innotek", "엘지이노텍", "LG Innotek", name(r"^LG이노텍$"), tags=("name",)),
    Topic("n_lotte_chemical", "롯데케미칼", "Lotte Chemical", name(r"^롯데케미칼$"), tags=("name",)),
    Topic("n_kumho_petro", "금호석유", "Kumho Petrochemical", name(r"^금호석유화학$"), tags=("name",)),
    Topic("n_hankook_tire", "한국타이어", "Hankook Tire", name(r"^한국타이어앤테크놀로지$"), tags=("name",)),
    Topic("n_glovis", "글로비스", "Hyundai Glovis", name(r"^현대글로비스$"), tags=("name",)),
    Topic("n_cj_cheiljedang", "제일제당", "CJ CheilJedang", name(r"^CJ제일제당$"), tags=("name",)),
    Topic("n_krafton", "크래프톤", "Krafton", name(r"^크래프톤$"), tags=("name",)),
    Topic("n_lg_uplus", "엘지유플러스", "LG Uplus", name(r"^LG유플러스$"), tags=("name",)),
    Topic("n_samsung_cnt", "삼성물산", "Samsung C&T", name(r"^삼성물산$"), tags=("name",)),
    Topic("n_daewoo_enc", "대우건설", "Daewoo E&C", name(r"^대우건설$"), tags=("name",)),
    Topic("n_dong_a_st", "동아ST", "Dong-A ST", name(r"^동아에스티$"), tags=("name",)),
    Topic("n_kwangdong", "광동제약", "Kwang Dong Pharmaceutical", name(r"^광동제약$"), tags=("name",)),
    Topic("n_alteogen", "알테오젠", "Alteogen", name(r"^알테오젠$"), tags=("name",)),
    Topic("n_hybe", "하이브", "HYBE", name(r"^하이브$"), tags=("name",)),
    Topic("n_lig_nex1", "LIG넥스원", "LIG Nex1", name(r"^LIG넥스원$"), tags=("name",)),
    Topic("n_hanon", "한온시스템", "Hanon Systems", name(r"^한온시스템$"), tags=("name",)),
    Topic("n_mando", "만도", "HL Mando", name(r"^HL만도$"), tags=("name",)),
    Topic("n_hyundai_steel", "현대제철", "Hyundai Steel", name(r"^현대제철$"), tags=("name",)),
    Topic("n_dongkuk", "동국제강", "Dongkuk Steel", name(r"^동국제강$"), tags=("name",)),
]
