package archive

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// languageNames maps lower-cased language names, in English and in the
// language itself, to codes: a reader or creator may name a language
// either way ("Deutsch", "German" or "de").
var languageNames = func() map[string]string {
	codes := []string{"en", "es", "fr", "de", "it", "pt", "pt-BR", "pt-PT", "nl", "sv", "no", "nb", "da", "fi", "is", "pl", "cs", "sk",
		"sl", "hr", "sr", "bg", "ru", "uk", "be", "el", "tr", "hu", "ro", "lt", "lv", "et", "ga", "cy", "gd", "eu", "ca", "gl", "eo", "la",
		"ar", "he", "fa", "ur", "hi", "bn", "ta", "te", "mr", "th", "vi", "id", "ms", "tl", "ja", "ko", "zh", "zh-Hans", "zh-Hant", "yue",
		"sw", "af", "sq", "mk", "ka", "hy", "az", "kk", "mn", "yi", "haw", "mi"}
	m := map[string]string{}
	for _, c := range codes {
		t := language.MustParse(c)
		for _, n := range []string{display.English.Tags().Name(t), display.Self.Name(t)} {
			if n != "" {
				m[strings.ToLower(n)] = c
			}
		}
	}
	return m
}()

// LanguageName is how pages name a language code: its name in itself
// ("Deutsch"), or the code when it has none.
func LanguageName(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := display.Self.Name(t); n != "" {
		return n
	}
	return code
}

// ParseLanguage reads a language named by a BCP 47 code ("pt-BR") or by
// its name in English or in itself ("Portuguese", "Deutsch"); ok is false
// for a language the archive does not know.
func ParseLanguage(s string) (code string, ok bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > 35 {
		return "", false
	}
	if c, found := languageNames[strings.ToLower(s)]; found {
		return c, true
	}
	if !languageRe.MatchString(s) {
		return "", false
	}
	t, err := language.Parse(s)
	if err != nil || display.English.Tags().Name(t) == "" {
		return "", false
	}
	return s, true
}
