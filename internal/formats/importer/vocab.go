package importer

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"quire/internal/archive"
)

// ratingWords maps rating words old and new to the archive's ratings: AO3's
// own names, the film-style scale (G, PG, PG-13, R, NC-17), the FRC / FRT /
// FRM / FRAO scale of the Fiction Ratings system, and FanFiction.Net's
// K, K+, T, M, MA.
var ratingWords = map[string]string{
	"not rated": archive.RatingNotRated, "unrated": archive.RatingNotRated, "none": archive.RatingNotRated,
	"general audiences": archive.RatingGeneral, "general": archive.RatingGeneral, "gen": archive.RatingGeneral,
	"teen and up audiences": archive.RatingTeen, "teen and up": archive.RatingTeen, "teen": archive.RatingTeen, "teens": archive.RatingTeen,
	"mature": archive.RatingMature, "explicit": archive.RatingExplicit, "adult": archive.RatingExplicit, "adults only": archive.RatingExplicit,
	"g": archive.RatingGeneral, "pg": archive.RatingGeneral, "pg-13": archive.RatingTeen, "pg13": archive.RatingTeen, "pg 13": archive.RatingTeen,
	"r": archive.RatingMature, "nc-17": archive.RatingExplicit, "nc17": archive.RatingExplicit, "nc 17": archive.RatingExplicit, "x": archive.RatingExplicit, "xxx": archive.RatingExplicit,
	"frc": archive.RatingGeneral, "fr7": archive.RatingGeneral, "fr13": archive.RatingTeen, "frt": archive.RatingTeen, "fr15": archive.RatingMature,
	"frm": archive.RatingMature, "fr18": archive.RatingExplicit, "frao": archive.RatingExplicit, "fr21": archive.RatingExplicit,
	"k": archive.RatingGeneral, "k+": archive.RatingGeneral, "t": archive.RatingTeen, "m": archive.RatingMature, "ma": archive.RatingExplicit,
}

var ratingLead = regexp.MustCompile(`(?i)^(not rated|general audiences|teen and up audiences|teen and up|adults only|nc[- ]?17|pg[- ]?13|fr(?:ao|c|t|m|7|13|15|18|21)|k\+|[a-z]+)`)

// mapRating reads an old or new rating ("PG-13 for language", "FRM",
// "Mature"); "" when it names none.
func mapRating(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.Trim(s, ".*[]() ")))
	if r, ok := ratingWords[s]; ok {
		return r
	}
	if m := ratingLead.FindString(s); m != "" {
		if r, ok := ratingWords[m]; ok {
			return r
		}
	}
	return ""
}

// mapWarning reads an archive warning by its tag name, its AO3 display name
// or the plain words old headers used; "" when the words name none.
func mapWarning(s string) string {
	k := strings.ToLower(strings.Join(strings.Fields(strings.Trim(s, " .;:!")), " "))
	switch k {
	case "creator chose not to use archive warnings", "choose not to use archive warnings", "chose not to use archive warnings",
		"author chose not to use archive warnings", "author chose not to warn", "creator chose not to warn":
		return archive.WarningChoseNot
	case "graphic depictions of violence", "graphic violence", "violence", "graphic depiction of violence":
		return archive.WarningViolence
	case "major character death", "character death", "death":
		return archive.WarningMCD
	case "no archive warnings apply", "none", "no warnings", "no warnings apply", "n/a", "nothing":
		return archive.WarningNone
	case "rape/non-con", "rape/noncon", "rape / non-con", "non-con", "noncon", "non-consensual", "nonconsensual", "rape":
		return archive.WarningNonCon
	case "underage", "underage sex":
		return archive.WarningUnderage
	}
	return ""
}

// mapCategory reads an AO3 category ("F/M") or "" when s is none.
func mapCategory(s string) string {
	return vocabulary(archive.Categories, s)
}

// languageCodes are the languages an importer recognises by name, in
// English or in themselves (AO3 names a work's language in itself).
var languageCodes = func() map[string]string {
	codes := []string{"en", "es", "fr", "de", "it", "pt", "pt-BR", "pt-PT", "nl", "sv", "no", "nb", "da", "fi", "is", "pl", "cs", "sk",
		"sl", "hr", "sr", "bg", "ru", "uk", "be", "el", "tr", "hu", "ro", "lt", "lv", "et", "ga", "cy", "gd", "eu", "ca", "gl", "eo", "la",
		"ar", "he", "fa", "ur", "hi", "bn", "ta", "te", "mr", "th", "vi", "id", "ms", "tl", "ja", "ko", "zh", "zh-Hans", "zh-Hant", "yue",
		"sw", "af", "sq", "mk", "ka", "hy", "az", "kk", "mn", "yi", "haw", "mi",
		// Regional forms, whose names ("American English", "español de
		// México") a download may show.
		"en-US", "en-GB", "en-AU", "en-CA", "es-ES", "es-MX", "es-419", "fr-CA", "fr-CH", "de-AT", "de-CH", "nl-BE",
		"zh-CN", "zh-TW", "zh-HK", "sr-Latn", "sr-Cyrl"}
	m := map[string]string{}
	for _, c := range codes {
		t := language.MustParse(c)
		for _, n := range []string{display.English.Tags().Name(t), display.Self.Name(t)} {
			if _, taken := m[strings.ToLower(n)]; n != "" && !taken {
				m[strings.ToLower(n)] = c
			}
		}
	}
	// Names AO3 shows that the display tables spell differently.
	m["中文-普通话 國語"] = "zh"
	m["中文-广东话 粵語"] = "yue"
	m["bahasa indonesia"] = "id"
	m["bahasa malaysia"] = "ms"
	m["filipino"] = "tl"
	m["norsk"] = "no"
	m["português brasileiro"] = "pt-BR"
	m["português europeu"] = "pt-PT"
	return m
}()

var codeRe = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// mapLanguage reads a language name or code; "" when unknown.
func mapLanguage(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	if c, ok := languageCodes[strings.ToLower(s)]; ok {
		return c
	}
	if codeRe.MatchString(s) && len(s) <= 35 {
		if t, err := language.Parse(s); err == nil {
			return t.String()
		}
	}
	return ""
}

var dateLayouts = []string{
	"2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006/01/02", "2006.01.02",
	"January 2, 2006", "January 2 2006", "Jan 2, 2006", "Jan 2 2006", "2 January 2006", "2 Jan 2006", "02 Jan 2006",
	"January 2006", "Jan 2006", "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 MST", "2006",
	"01/02/2006", "1/2/2006", "01/02/06", "1/2/06",
}

// parseDate reads a date in the shapes archives wrote them; zero when it
// can't. Only years from 1970 are kept (the archive's earliest date).
func parseDate(s string) time.Time {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), "."))
	if s == "" || len(s) > 60 {
		return time.Time{}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1970 || t.Year() > 9999 {
				return time.Time{}
			}
			return t.UTC()
		}
	}
	return time.Time{}
}
