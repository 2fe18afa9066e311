// Package i18n is the interface's languages: the message catalogs (JSON,
// embedded, with an operator's files layered over them), CLDR plural
// forms, choosing a reader's locale, and each locale's numbers and dates.
//
// A message's key is its English text ("Post new work"); arguments are
// written {0}, {1}… so a translation can reorder them. A message with
// plural forms is an object of CLDR forms ("one", "other", and for
// Arabic also "zero", "two", "few", "many"), chosen by the count {0}.
// Lookups read maps built once at start: no parsing per call, and a
// message without arguments is returned without allocating.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.json
var shipped embed.FS

// Source is the locale the keys are written in.
const Source = "en"

// formNames are the CLDR plural forms, indexed by plural.Form.
var formNames = [...]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many"}

// piece is a literal, or argument arg when arg >= 0.
type piece struct {
	lit string
	arg int
}

// message is one entry: forms[plural.Other] always set; the others only
// for a plural message.
type entry struct {
	plural bool
	text   [6]string  // the forms as written
	pieces [6][]piece // nil when the form has no arguments
}

// Locale is one language of the interface.
type Locale struct {
	Code string // BCP 47, as the catalog file is named: "de", "zh-Hans"
	Name string // the language's own name for itself ("Deutsch")
	Dir  string // "ltr" or "rtl"
	Tag  language.Tag
	// Comma separates the items of a list ("、" in Chinese and Japanese).
	Comma string

	msgs map[string]*entry

	digits      [10]string // "0".."9" in the locale's numbering system
	latnDigits  bool
	group       string // thousands separator
	minGrouping int    // digits a number needs before it is grouped (es: 5)
	months      [12]string
	date        []piece // {d} {m} {mon} {y}
	dateTime    []piece // {date} {time}
	clock       string  // Go layout of the time of day
}

// Catalog is every locale the archive speaks.
type Catalog struct {
	byCode  map[string]*Locale
	list    []*Locale
	def     *Locale
	matcher language.Matcher
	tags    []language.Tag

	mu       sync.Mutex
	accepted map[string]*Locale // Accept-Language header → choice
}

// Load reads the shipped catalogs and then every *.json in dir (may be
// ""), which override messages of a shipped locale or add a locale.
// def is the site's default locale, which must be one of them.
//
// A locale's messages may be split over several files: CODE.json and
// CODE.AREA.json ("de.json", "de.staff.json"), so that the pages of one
// part of the archive keep their messages together. Two shipped files of
// one locale may not both define a key; an operator's file overrides.
func Load(dir, def string) (*Catalog, error) {
	raw := map[string]map[string]json.RawMessage{}
	files, _ := fs.Glob(shipped, "locales/*.json")
	from := map[string]string{} // locale/key → the shipped file defining it
	for _, f := range files {
		b, err := shipped.ReadFile(f)
		if err != nil {
			return nil, err
		}
		code := localeOf(f)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("shipped catalog %s: %w", f, err)
		}
		for k := range m {
			if prev, ok := from[code+"\x00"+k]; ok {
				return nil, fmt.Errorf("shipped catalogs %s and %s both define %q", prev, f, k)
			}
			from[code+"\x00"+k] = f
		}
		if err := mergeFile(raw, code, b); err != nil {
			return nil, fmt.Errorf("shipped catalog %s: %w", f, err)
		}
	}
	if dir != "" {
		extra, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(extra)
		for _, f := range extra {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if err := mergeFile(raw, localeOf(f), b); err != nil {
				return nil, fmt.Errorf("catalog %s: %w", f, err)
			}
		}
	}
	c := &Catalog{byCode: map[string]*Locale{}, accepted: map[string]*Locale{}}
	codes := make([]string, 0, len(raw))
	for code := range raw {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool {
		if (codes[i] == Source) != (codes[j] == Source) {
			return codes[i] == Source
		}
		return codes[i] < codes[j]
	})
	if len(codes) == 0 || codes[0] != Source {
		return nil, fmt.Errorf("no %s catalog", Source)
	}
	for _, code := range codes {
		l, err := build(code, raw[code], raw[Source])
		if err != nil {
			return nil, fmt.Errorf("locale %s: %w", code, err)
		}
		c.byCode[strings.ToLower(code)] = l
		c.list = append(c.list, l)
		c.tags = append(c.tags, l.Tag)
	}
	c.matcher = language.NewMatcher(c.tags)
	if def == "" {
		def = Source
	}
	if c.def = c.Lookup(def); c.def == nil {
		return nil, fmt.Errorf("default locale %q: not one of %s", def, strings.Join(c.Codes(), ", "))
	}
	return c, nil
}

// localeOf is the locale a catalog file is for: its name up to the
// first dot ("zh-Hans.staff.json" → "zh-Hans").
func localeOf(path string) string {
	code, _, _ := strings.Cut(filepath.Base(path), ".")
	return code
}

// mergeFile layers one catalog file over what raw holds for code.
func mergeFile(raw map[string]map[string]json.RawMessage, code string, b []byte) error {
	if _, err := language.Parse(code); err != nil {
		return fmt.Errorf("file name %q is not a BCP 47 language code: %v", code, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for existing := range raw { // "zh-hans.json" overrides the shipped "zh-Hans"
		if strings.EqualFold(existing, code) {
			code = existing
		}
	}
	if raw[code] == nil {
		raw[code] = map[string]json.RawMessage{}
	}
	for k, v := range m {
		raw[code][k] = v
	}
	return nil
}

// rtlScripts are the scripts written right to left.
var rtlScripts = map[string]bool{"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true, "Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true, "Samr": true}

func build(code string, m, source map[string]json.RawMessage) (*Locale, error) {
	tag, err := language.Parse(code)
	if err != nil {
		return nil, err
	}
	l := &Locale{Code: code, Tag: tag, Name: code, Dir: "ltr", msgs: map[string]*entry{}, clock: "15:04"}
	if s, _ := tag.Script(); rtlScripts[s.String()] {
		l.Dir = "rtl"
	}
	settings := map[string]string{}
	for k, v := range m {
		if strings.HasPrefix(k, "@") {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fmt.Errorf("%s: a setting is a string: %v", k, err)
			}
			settings[k] = s
			continue
		}
		e, err := parseEntry(tag, v)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", k, err)
		}
		l.msgs[k] = e
	}
	get := func(k string) string {
		if s, ok := settings[k]; ok {
			return s
		}
		var s string
		json.Unmarshal(source[k], &s)
		return s
	}
	if s := settings["@name"]; s != "" {
		l.Name = s
	}
	switch d := settings["@dir"]; d {
	case "":
	case "ltr", "rtl":
		l.Dir = d
	default:
		return nil, fmt.Errorf("@dir is ltr or rtl, not %q", d)
	}
	l.numbers(settings["@digits"] == "latn")
	l.minGrouping = 1
	if s := settings["@min_grouping"]; s != "" {
		if l.minGrouping, err = strconv.Atoi(s); err != nil || l.minGrouping < 1 || l.minGrouping > 4 {
			return nil, fmt.Errorf("@min_grouping is 1 to 4, not %q", s)
		}
	}
	months := strings.Fields(get("@months"))
	if len(months) != 12 {
		return nil, fmt.Errorf("@months names 12 months, not %d", len(months))
	}
	copy(l.months[:], months)
	l.date = pieces(get("@date"))
	l.dateTime = pieces(get("@datetime"))
	if l.Comma = get("@comma"); l.Comma == "" {
		l.Comma = ", "
	}
	if s := get("@clock"); s != "" {
		l.clock = s
	}
	return l, nil
}

// numbers learns the locale's digits and separator from CLDR (x/text).
func (l *Locale) numbers(latn bool) {
	s := message.NewPrinter(l.Tag).Sprintf("%d", 1234567890)
	digits := []rune{}
	sep := ""
	for _, r := range s {
		if d := digitValue(r); d >= 0 {
			digits = append(digits, r)
		} else if len(digits) == 1 {
			sep += string(r)
		}
	}
	order := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 0}
	if len(digits) != 10 || latn {
		for i := range l.digits {
			l.digits[i] = strconv.Itoa(i)
		}
	} else {
		for i, d := range order {
			l.digits[d] = string(digits[i])
		}
	}
	if sep == "" {
		sep = ","
	}
	l.group = sep
	l.latnDigits = l.digits[1] == "1"
}

func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 0x660 && r <= 0x669: // Arabic-Indic
		return int(r - 0x660)
	case r >= 0x6F0 && r <= 0x6F9: // Extended Arabic-Indic
		return int(r - 0x6F0)
	case r >= 0x966 && r <= 0x96F: // Devanagari
		return int(r - 0x966)
	case r >= 0x9E6 && r <= 0x9EF: // Bengali
		return int(r - 0x9E6)
	}
	return -1
}

func parseEntry(tag language.Tag, v json.RawMessage) (*entry, error) {
	e := &entry{}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		e.text[plural.Other] = s
		e.pieces[plural.Other] = argPieces(s)
		return e, nil
	}
	var forms map[string]string
	if err := json.Unmarshal(v, &forms); err != nil {
		return nil, fmt.Errorf("a message is a string or an object of plural forms")
	}
	e.plural = true
	for name, text := range forms {
		f := -1
		for i, n := range formNames {
			if n == name {
				f = i
			}
		}
		if f < 0 {
			return nil, fmt.Errorf("%q is not a CLDR plural form (zero, one, two, few, many, other)", name)
		}
		e.text[f] = text
		e.pieces[f] = argPieces(text)
	}
	if _, ok := forms["other"]; !ok {
		return nil, fmt.Errorf("plural forms need \"other\"")
	}
	return e, nil
}

// pieces splits "{d} {mon} {y}" or "{0} works" at its braces; a name is
// kept as a literal argument name (arg -2) for the date patterns.
func pieces(s string) []piece {
	var out []piece
	for s != "" {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}') + max(i, 0)
		if i < 0 || j < i {
			out = append(out, piece{lit: s, arg: -1})
			break
		}
		if i > 0 {
			out = append(out, piece{lit: s[:i], arg: -1})
		}
		name := s[i+1 : j]
		if n, err := strconv.Atoi(name); err == nil && n >= 0 && n < 10 {
			out = append(out, piece{arg: n})
		} else {
			out = append(out, piece{lit: name, arg: -2})
		}
		s = s[j+1:]
	}
	return out
}

// argPieces is pieces, or nil for a text with no argument.
func argPieces(s string) []piece {
	p := pieces(s)
	for _, x := range p {
		if x.arg != -1 {
			return p
		}
	}
	return nil
}

// Locales lists the locales, English first.
func (c *Catalog) Locales() []*Locale { return c.list }

// Codes lists the locale codes.
func (c *Catalog) Codes() []string {
	out := make([]string, len(c.list))
	for i, l := range c.list {
		out[i] = l.Code
	}
	return out
}

// Default is the site's default locale.
func (c *Catalog) Default() *Locale { return c.def }

// Lookup is the locale named code (any case), nil when there is none.
func (c *Catalog) Lookup(code string) *Locale {
	if code == "" || len(code) > 35 {
		return nil
	}
	return c.byCode[strings.ToLower(code)]
}

// Choose picks a reader's locale: their saved preference, else the
// switch's cookie, else the best match of Accept-Language, else the
// default. Unknown or malformed values are skipped, never an error.
func (c *Catalog) Choose(pref, cookie, accept string) *Locale {
	if l := c.Lookup(pref); l != nil {
		return l
	}
	if l := c.Lookup(cookie); l != nil {
		return l
	}
	if accept == "" || len(accept) > 500 {
		return c.def
	}
	c.mu.Lock()
	l, ok := c.accepted[accept]
	c.mu.Unlock()
	if ok {
		return l
	}
	l = c.def
	if tags, _, err := language.ParseAcceptLanguage(accept); err == nil && len(tags) > 0 {
		if _, i, conf := c.matcher.Match(tags...); conf != language.No {
			l = c.list[i]
		}
	}
	c.mu.Lock()
	if len(c.accepted) > 2000 { // headers are few in practice; forget them all rather than grow
		clear(c.accepted)
	}
	c.accepted[accept] = l
	c.mu.Unlock()
	return l
}

// Has reports whether the locale has its own text for key.
func (l *Locale) Has(key string) bool { _, ok := l.msgs[key]; return ok }

// Keys lists the locale's keys.
func (l *Locale) Keys() []string {
	out := make([]string, 0, len(l.msgs))
	for k := range l.msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Forms lists the plural forms CLDR gives the locale's language, by
// trying counts (0–200 and a few fractions' integers cover every rule).
func (l *Locale) Forms() []string {
	seen := [6]bool{}
	for n := 0; n <= 200; n++ {
		seen[plural.Cardinal.MatchPlural(l.Tag, n, 0, 0, 0, 0)] = true
	}
	for _, n := range []int{1000, 1000000} {
		seen[plural.Cardinal.MatchPlural(l.Tag, n, 0, 0, 0, 0)] = true
	}
	var out []string
	for f, ok := range seen {
		if ok {
			out = append(out, formNames[f])
		}
	}
	return out
}

// Missing lists what l lacks of source: keys with no text, and plural
// forms its language needs that a plural message leaves out.
func (l *Locale) Missing(source *Locale) []string {
	forms := l.Forms()
	var out []string
	for _, k := range source.Keys() {
		e, ok := l.msgs[k]
		if !ok {
			out = append(out, k)
			continue
		}
		if source.msgs[k].plural {
			for _, f := range forms {
				if e.text[formIndex(f)] == "" {
					out = append(out, k+" ["+f+"]")
				}
			}
		}
	}
	return out
}

func formIndex(name string) int {
	for i, n := range formNames {
		if n == name {
			return i
		}
	}
	return 0
}

// T is the translation of key, with args in place of {0}, {1}…; a key
// the locale lacks is shown as written (English).
func (l *Locale) T(key string, args ...any) string {
	e := l.msgs[key]
	if e == nil {
		return render(key, argPieces(key), l, args)
	}
	return render(e.text[plural.Other], e.pieces[plural.Other], l, args)
}

// N is the plural message key for count n ({0}, formatted as a number),
// with further args as {1}, {2}….
func (l *Locale) N(key string, n int, args ...any) string {
	e := l.msgs[key]
	all := make([]any, 0, len(args)+1)
	all = append(all, n)
	all = append(all, args...)
	if e == nil {
		return render(key, argPieces(key), l, all)
	}
	f := plural.Other
	if e.plural {
		if f = plural.Cardinal.MatchPlural(l.Tag, abs(n), 0, 0, 0, 0); e.text[f] == "" {
			f = plural.Other
			if n == 1 && e.text[plural.One] != "" { // a language without "one" still has a text for 1
				f = plural.One
			}
		}
	}
	return render(e.text[f], e.pieces[f], l, all)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func render(text string, p []piece, l *Locale, args []any) string {
	if p == nil {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	for _, x := range p {
		switch {
		case x.arg == -1:
			b.WriteString(x.lit)
		case x.arg == -2:
			b.WriteString("{" + x.lit + "}")
		case x.arg < len(args):
			b.WriteString(l.arg(args[x.arg]))
		}
	}
	return b.String()
}

// arg formats one argument: numbers the locale's way, the rest as text.
func (l *Locale) arg(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return l.Num(int64(x))
	case int64:
		return l.Num(x)
	case time.Time:
		return l.Date(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Num writes n with the locale's digits and thousands separator.
func (l *Locale) Num(n int64) string {
	if l.latnDigits && n > -1000 && n < 1000 {
		return strconv.FormatInt(n, 10)
	}
	var in [24]byte
	s := strconv.AppendInt(in[:0], n, 10)
	var out [96]byte
	b := out[:0]
	if s[0] == '-' {
		b, s = append(b, '-'), s[1:]
	}
	group := len(s) >= 3+l.minGrouping
	for i, c := range s {
		if group && i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, l.group...)
		}
		b = append(b, l.digits[c-'0']...)
	}
	return string(b)
}

// Date writes t's day the locale's way: "3 Dec 2026", "2026年12月3日".
func (l *Locale) Date(t time.Time) string {
	var b strings.Builder
	for _, x := range l.date {
		switch {
		case x.arg == -1:
			b.WriteString(x.lit)
		case x.lit == "d":
			b.WriteString(l.Num(int64(t.Day())))
		case x.lit == "dd":
			if t.Day() < 10 {
				b.WriteString(l.digits[0])
			}
			b.WriteString(l.Num(int64(t.Day())))
		case x.lit == "m":
			b.WriteString(l.Num(int64(t.Month())))
		case x.lit == "mon":
			b.WriteString(l.months[t.Month()-1])
		case x.lit == "y":
			b.WriteString(l.digitsOf(strconv.Itoa(t.Year())))
		}
	}
	return b.String()
}

// DateTime writes t's day and time of day.
func (l *Locale) DateTime(t time.Time) string {
	var b strings.Builder
	for _, x := range l.dateTime {
		switch {
		case x.arg == -1:
			b.WriteString(x.lit)
		case x.lit == "date":
			b.WriteString(l.Date(t))
		case x.lit == "time":
			b.WriteString(l.digitsOf(t.Format(l.clock)))
		case x.lit == "zone":
			b.WriteString(t.Format("MST"))
		}
	}
	return b.String()
}

// digitsOf swaps ASCII digits for the locale's.
func (l *Locale) digitsOf(s string) string {
	if l.latnDigits {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteString(l.digits[r-'0'])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Ago writes how long before now t was: "3 days ago".
func (l *Locale) Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return l.T("just now")
	case d < time.Hour:
		return l.N("{0} minutes ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return l.N("{0} hours ago", int(d/time.Hour))
	case d < 31*24*time.Hour:
		return l.N("{0} days ago", int(d/(24*time.Hour)))
	}
	return l.Date(t)
}
