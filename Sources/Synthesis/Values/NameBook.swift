/// Synthetic Indonesian-style names. Every name pindai's tests and samples use is made up here:
/// no real person's data enters the repository.
enum NameBook {
    static let male = [
        "AGUS", "BUDI", "DEDI", "EKO", "FAJAR", "HENDRA", "IWAN", "JOKO", "KURNIAWAN", "RUDI", "SLAMET", "TAUFIK",
        "WAHYU", "YUDI", "ARIF", "BAMBANG", "DIMAS", "GILANG", "HARIS", "RIZKY", "SURYA", "ANDI", "IRFAN", "YOGA",
    ]
    static let female = [
        "SITI", "DEWI", "SRI", "RINA", "WATI", "YULI", "NUR", "AYU", "PUTRI", "LESTARI", "INDAH", "FITRI",
        "ANI", "RATNA", "MEGA", "DIAN", "RIKA", "NOVI", "TARI", "WULAN", "INTAN", "SARI", "LINA", "MAYA",
    ]
    static let family = [
        "SANTOSO", "WIBOWO", "HIDAYAT", "SAPUTRA", "PRATAMA", "KUSUMA", "NUGROHO", "SETIAWAN", "HALIM", "LUBIS",
        "SIREGAR", "NASUTION", "RAHMAN", "SYAHPUTRA", "WIJAYA", "GUNAWAN", "ABDULLAH", "IRAWAN", "SUGIHARTO", "TAMBUNAN",
    ]
    static let places = [
        "RT 01 LOA BAKUNG", "RT 05 SEMPAJA", "RT 12 GUNUNG KELUA", "RT 03 SUNGAI PINANG", "RT 07 TELUK LERONG",
        "RT 09 KARANG ASAM", "RT 02 BUKIT PINANG", "RT 14 SIDODADI", "RT 06 AIR PUTIH", "RT 11 LOK BAHU",
    ]
    static let streets = ["JL. MERDEKA", "JL. PAHLAWAN", "JL. SUDIRMAN", "JL. KUSUMA BANGSA", "JL. JUANDA", "JL. GATOT SUBROTO"]
}
