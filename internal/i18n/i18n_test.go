package i18n

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, dir string) *Catalog {
	t.Helper()
	c, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPluralFormsFollowCLDR(t *testing.T) {
	c := load(t, "")
	cases := []struct {
		code string
		n    int
		want string
	}{
		{"en", 1, "1 day ago"}, {"en", 2, "2 days ago"}, {"en", 0, "0 days ago"},
		{"de", 1, "vor 1 Tag"}, {"de", 5, "vor 5 Tagen"},
		{"es", 1, "hace 1 día"}, {"es", 3, "hace 3 días"},
		{"ja", 1, "1 日前"}, {"ja", 7, "7 日前"},
		{"zh-Hans", 1, "1 天前"},
		// Arabic's six forms: zero, one, two, few (3–10), many (11–99), other (100…).
		{"ar", 0, "قبل ٠ يوم"}, {"ar", 1, "قبل يوم واحد"}, {"ar", 2, "قبل يومين"},
		{"ar", 3, "قبل ٣ أيام"}, {"ar", 11, "قبل ١١ يومًا"}, {"ar", 100, "قبل ١٠٠ يوم"},
	}
	for _, tc := range cases {
		if got := c.Lookup(tc.code).N("{0} days ago", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.code, tc.n, got, tc.want)
		}
	}
	if f := strings.Join(c.Lookup("ar").Forms(), " "); f != "other zero one two few many" {
		t.Errorf("Arabic forms %q", f)
	}
	if f := strings.Join(c.Lookup("ja").Forms(), " "); f != "other" {
		t.Errorf("Japanese forms %q", f)
	}
}

func TestNumbersAndDates(t *testing.T) {
	c := load(t, "")
	day := time.Date(2026, 12, 3, 16, 5, 0, 0, time.UTC)
	cases := []struct {
		code, num1234, num1234567, date string
	}{
		{"en", "1,234", "1,234,567", "3 Dec 2026"},
		{"de", "1.234", "1.234.567", "3. Dez. 2026"},
		{"es", "1234", "1.234.567", "3 dic 2026"}, // CLDR: Spanish groups from five digits
		{"zh-Hans", "1,234", "1,234,567", "2026年12月3日"},
		{"ja", "1,234", "1,234,567", "2026年12月3日"},
		{"ar", "١٬٢٣٤", "١٬٢٣٤٬٥٦٧", "٣ ديسمبر ٢٠٢٦"},
	}
	for _, tc := range cases {
		l := c.Lookup(tc.code)
		if got := l.Num(1234); got != tc.num1234 {
			t.Errorf("%s 1234: %q, want %q", tc.code, got, tc.num1234)
		}
		if got := l.Num(1234567); got != tc.num1234567 {
			t.Errorf("%s 1234567: %q, want %q", tc.code, got, tc.num1234567)
		}
		if got := l.Date(day); got != tc.date {
			t.Errorf("%s date: %q, want %q", tc.code, got, tc.date)
		}
	}
	if got := c.Lookup("en").Num(-1234); got != "-1,234" {
		t.Errorf("negative: %q", got)
	}
	if got := c.Lookup("de").DateTime(day.In(time.FixedZone("CET", 3600))); got != "3. Dez. 2026, 17:05 CET" {
		t.Errorf("de datetime %q", got)
	}
}

func TestChooseFallsBackNeverFails(t *testing.T) {
	c := load(t, "")
	cases := []struct{ pref, cookie, accept, want string }{
		{"de", "es", "ja", "de"},
		{"", "es", "ja", "es"},
		{"", "", "ja-JP,ja;q=0.9,en;q=0.5", "ja"},
		{"", "", "zh-CN,zh;q=0.9", "zh-Hans"},
		{"", "", "de-AT", "de"},
		{"", "", "es-419", "es"},
		{"", "", "ar-EG", "ar"},
		{"", "", "pt-BR", "en"},
		{"klingon", "../../etc", "x;;;q=zz,,", "en"},
		{"", "ZH-hans", "", "zh-Hans"},
		{"", "", strings.Repeat("de,", 400), "en"},
	}
	for _, tc := range cases {
		if got := c.Choose(tc.pref, tc.cookie, tc.accept).Code; got != tc.want {
			t.Errorf("Choose(%q, %q, %q) = %s, want %s", tc.pref, tc.cookie, tc.accept, got, tc.want)
		}
	}
	if l := c.Lookup("ar"); l.Dir != "rtl" {
		t.Errorf("ar dir %q", l.Dir)
	}
	if _, err := Load("", "xx"); err == nil {
		t.Error("an unknown --default-locale loads")
	}
}

// An operator's file overrides a shipped message and adds a language,
// Hebrew here: right to left from its script, with CLDR's forms.
func TestOperatorCatalogs(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "de.json"), []byte(`{"Works": "Geschichten"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "he.staff.json"), []byte(`{"Bookmarks": "סימניות"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "he.json"), []byte(`{"@name": "עברית", "Works": "יצירות",
		"{0} days ago": {"one": "לפני יום", "two": "לפני יומיים", "other": "לפני {0} ימים"}}`), 0o644)
	c := load(t, dir)
	if got := c.Lookup("de").T("Works"); got != "Geschichten" {
		t.Errorf("override: %q", got)
	}
	if got := c.Lookup("de").T("Bookmarks"); got != "Lesezeichen" {
		t.Errorf("the rest of de stays: %q", got)
	}
	he := c.Lookup("he")
	if he == nil || he.Dir != "rtl" || he.T("Works") != "יצירות" || he.N("{0} days ago", 2) != "לפני יומיים" {
		t.Fatalf("he: %+v", he)
	}
	if got := he.T("Bookmarks"); got != "סימניות" {
		t.Errorf("he.staff.json is part of he: %q", got)
	}
	if got := he.T("Kudos"); got != "Kudos" {
		t.Errorf("untranslated falls back to English: %q", got)
	}
	if len(he.Missing(c.Lookup(Source))) == 0 {
		t.Error("he's missing messages not listed")
	}
	if got := c.Choose("", "", "he-IL").Code; got != "he" {
		t.Errorf("he-IL chose %s", got)
	}
	for name, body := range map[string]string{
		"fr.json":        `{"Works": `,
		"it.json":        `{"{0} days ago": {"lots": "x"}}`,
		"not a tag.json": `{}`,
		"pt.json":        `{"@months": "a b c"}`,
	} {
		bad := t.TempDir()
		os.WriteFile(filepath.Join(bad, name), []byte(body), 0o644)
		if _, err := Load(bad, ""); err == nil {
			t.Errorf("%s %s loads", name, body)
		}
	}
}

// A message without arguments costs a map read, no allocation.
func TestLookupDoesNotAllocate(t *testing.T) {
	l := load(t, "").Lookup("de")
	if n := testing.AllocsPerRun(100, func() { _ = l.T("Works") }); n != 0 {
		t.Errorf("T allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = l.Num(999) }); n > 1 {
		t.Errorf("Num allocates %v times", n)
	}
}

func BenchmarkT(b *testing.B) {
	l, _ := Load("", "")
	de := l.Lookup("de")
	for b.Loop() {
		de.T("Works")
		de.N("{0} days ago", 3)
	}
}
