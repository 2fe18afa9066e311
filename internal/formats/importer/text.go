package importer

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plain text as old archives and mailing lists kept it: a header block of
// "Key: value" lines, or a first paragraph of prose summary holding
// sentences such as "Chapter one: in which …" and "Warnings for A, B, and
// C"; perhaps an epigraph (a quoted passage and its attribution); then the
// story, split by chapter headings ("Chapter 1", "Chapter One: Title",
// "Part II", "Prologue", "Epilogue"). Paragraphs are separated by blank
// lines (or start with an indent); hard-wrapped lines are joined; lines of
// "* * *" are scene breaks; *word* and _word_ are emphasis.

const numberWords = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|` +
	`(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?`

var (
	numberRe       = `(\d{1,4}|[ivxlcdm]{1,8}|` + numberWords + `)`
	headingRe      = regexp.MustCompile(`(?i)^(chapter|part|book)\s+` + numberRe + `\s*(?:[:.–—-]\s*(.*))?$`)
	namedHeadingRe = regexp.MustCompile(`(?i)^(prologue|epilogue|interlude|afterword|foreword)\s*(?:[:.–—-]\s*(.*))?$`)
	inWhichRe      = regexp.MustCompile(`(?i)^chapter\s+` + numberRe + `\s*[:.,–—-]\s*(in which\b.*)$`)
	warningsForRe  = regexp.MustCompile(`(?i)^(?:content\s+)?warnings?\s*(?:for|:)\s*(.+?)[.!]?$`)
	warnSplitRe    = regexp.MustCompile(`(?i)\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*`)
	separatorRe    = regexp.MustCompile(`^\s*(?:[*~#=_+-]\s*){3,}$`)
	emphasisRe     = regexp.MustCompile(`(^|[\s(“"'‘])([*_])([^*_\s](?:[^*_]{0,200}?[^*_\s])?)([*_])($|[\s.,;:!?)”"'’])`)
	blankSplitRe   = regexp.MustCompile(`\n\s*\n`)
	chaptersRe     = regexp.MustCompile(`^(\d+)\s*(?:/\s*(\d+|\?))?`)
	bylineSplitRe  = regexp.MustCompile(`\s*(?:,|&|\band\b)\s*`)
	attributionBad = regexp.MustCompile(`(?i)^(he|she|they|i|we|you|it|his|her|their)\b|\b(said|says|asked|asks|replied|whispered|shouted)\b`)
)

var smallNumbers = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

// number reads "12", "XII" or "twenty-one".
func number(s string) int {
	s = strings.ToLower(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := smallNumbers[s]; ok {
		return n
	}
	if f := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' }); len(f) == 2 {
		return smallNumbers[f[0]] + smallNumbers[f[1]]
	}
	roman := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100, 'd': 500, 'm': 1000}
	n := 0
	for i := 0; i < len(s); i++ {
		v := roman[s[i]]
		if v == 0 {
			return 0
		}
		if i+1 < len(s) && roman[s[i+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	return n
}

// heading reads a chapter heading line; ok false when it is not one.
// "Chapter N: Title" is titled "Title" and "Chapter N" has no title; any
// other heading ("Part II", "Prologue: The Ferry") is its own title.
func heading(line string) (title string, ok bool) {
	t := strings.TrimSpace(line)
	if t == "" || utf8.RuneCountInString(t) > 120 {
		return "", false
	}
	t = strings.TrimSpace(strings.Trim(t, "*~=#_[]<> "))
	if m := headingRe.FindStringSubmatch(t); m != nil {
		if strings.EqualFold(m[1], "chapter") {
			return strings.TrimSpace(m[3]), true
		}
		return t, true
	}
	if namedHeadingRe.MatchString(t) {
		return t, true
	}
	return "", false
}

// sentences splits prose after ., ! or ? (and closing quotes).
func sentences(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '.' && rs[i] != '!' && rs[i] != '?' {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(`"”’')`, rs[j]) {
			j++
		}
		if j < len(rs) && unicode.IsSpace(rs[j]) {
			out = append(out, strings.TrimSpace(string(rs[start:j])))
			start = j
			i = j
		}
	}
	if rest := strings.TrimSpace(string(rs[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}

// proseSummary takes the "Chapter N: in which …" and "Warnings for …"
// sentences out of a summary: the first become chapter N's summary, the
// second the work's warnings and tags; the rest stays the summary.
func proseSummary(s string) (summary string, inWhich map[int]string, warnings []string) {
	var keep []string
	for _, sen := range sentences(s) {
		if m := inWhichRe.FindStringSubmatch(sen); m != nil {
			if n := number(m[1]); n > 0 {
				if inWhich == nil {
					inWhich = map[int]string{}
				}
				r := []rune(strings.TrimSpace(m[2]))
				inWhich[n] = strings.ToUpper(string(r[:1])) + string(r[1:])
				continue
			}
		}
		if m := warningsForRe.FindStringSubmatch(sen); m != nil {
			warnings = append(warnings, splitWarnings(m[1])...)
			continue
		}
		keep = append(keep, sen)
	}
	return strings.Join(keep, " "), inWhich, warnings
}

// isProseSummary reports whether a first paragraph is a summary in prose.
func isProseSummary(s string) bool {
	for _, sen := range sentences(s) {
		if inWhichRe.MatchString(sen) || warningsForRe.MatchString(sen) {
			return true
		}
	}
	return false
}

// splitWarnings splits "mild peril, a broken lamp, and major character
// death" into items, without the articles.
func splitWarnings(s string) []string {
	var out []string
	for _, p := range warnSplitRe.Split(s, -1) {
		p = strings.TrimSpace(strings.Trim(p, ".;:"))
		for _, a := range []string{"a ", "an ", "the ", "some "} {
			if len(p) > len(a) && strings.EqualFold(p[:len(a)], a) {
				p = p[len(a):]
			}
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// addWarnings records warnings: archive warnings where the words match,
// additional tags (capitalised) for the rest.
func addWarnings(w *Work, items []string) {
	for _, it := range items {
		if x := mapWarning(it); x != "" {
			w.Warnings = append(w.Warnings, x)
			continue
		}
		r := []rune(it)
		w.Freeforms = append(w.Freeforms, strings.ToUpper(string(r[:1]))+string(r[1:]))
	}
}

// epigraph reads a quoted passage with its attribution: `"…," Poet.`,
// `"…" — Poet`, or lines of verse whose last line starts with a dash.
func epigraph(lines []string) (quote []string, attribution string, ok bool) {
	if len(lines) == 0 || len(lines) > 20 {
		return nil, "", false
	}
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(lines) > 1 {
		if a, ok := dashed(last); ok {
			return trimQuotes(lines[:len(lines)-1]), a, true
		}
	}
	joined := strings.Join(trimAll(lines), "\n")
	open, _ := utf8.DecodeRuneInString(joined)
	if open != '"' && open != '“' {
		return nil, "", false
	}
	end := strings.LastIndexAny(joined, `"”`)
	if end <= 0 {
		return nil, "", false
	}
	inner := joined[utf8.RuneLen(open):end]
	rest := strings.TrimSpace(joined[end+1:])
	rest = strings.TrimSpace(strings.TrimLeft(rest, ",."))
	if a, ok := dashed(rest); ok {
		rest = a
	}
	rest = strings.TrimSpace(strings.TrimSuffix(rest, "."))
	if rest == "" || utf8.RuneCountInString(rest) > 100 || len(strings.Fields(rest)) > 10 || attributionBad.MatchString(rest) || strings.ContainsAny(rest, `"“”`) {
		return nil, "", false
	}
	inner = strings.TrimSpace(inner)
	inner = strings.TrimSuffix(inner, ",")
	return strings.Split(inner, "\n"), rest, true
}

// dashed reads "— Poet", "-- Poet" or "~ Poet".
func dashed(s string) (string, bool) {
	for _, d := range []string{"—", "―", "–", "--", "-", "~"} {
		if strings.HasPrefix(s, d) {
			a := strings.TrimSpace(strings.TrimPrefix(s, d))
			if a != "" && utf8.RuneCountInString(a) <= 100 {
				return a, true
			}
		}
	}
	return "", false
}

func trimAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}

func trimQuotes(lines []string) []string {
	out := trimAll(lines)
	if len(out) > 0 {
		out[0] = strings.TrimLeft(out[0], `"“`)
		out[len(out)-1] = strings.TrimRight(strings.TrimSuffix(strings.TrimRight(out[len(out)-1], `"”`), ","), `"”`)
	}
	return out
}

func epigraphHTML(quote []string, attribution string) string {
	var b strings.Builder
	b.WriteString("<blockquote><p>")
	for i, l := range quote {
		if i > 0 {
			b.WriteString("<br/>")
		}
		b.WriteString(inline(l))
	}
	b.WriteString("</p><p>— <cite>" + html.EscapeString(attribution) + "</cite></p></blockquote>")
	return b.String()
}

// inline escapes a line and marks *emphasis*.
func inline(s string) string {
	return emphasisRe.ReplaceAllString(html.EscapeString(s), "$1<em>$3</em>$5")
}

// paragraphHTML renders one paragraph: hard-wrapped prose is joined into
// one line, short lines (verse, letters) keep their breaks.
func paragraphHTML(lines []string) string {
	lines = trimAll(lines)
	wrapped := len(lines) > 1
	for _, l := range lines[:len(lines)-1] {
		if utf8.RuneCountInString(l) < 40 {
			wrapped = false
			break
		}
	}
	sep := "<br/>"
	if wrapped {
		sep = " "
	}
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = inline(l)
	}
	return "<p>" + strings.Join(parts, sep) + "</p>"
}

// indent is a line's leading white space, a tab counting four.
func indent(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

// textParagraphs splits lines into paragraphs at blank lines and at lines
// indented deeper than the line before (a first-line indent).
func textParagraphs(lines []string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		if len(cur) > 0 && indent(l) > indent(cur[len(cur)-1]) {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func parseText(data []byte) (*Work, error) {
	decoded, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	src := strings.TrimPrefix(decoded, "\uFEFF")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	src = strings.ReplaceAll(src, "\f", "\n")
	lines := strings.Split(src, "\n")
	w := &Work{}
	hasHeader := false
	if h, n, ok := parseHeaderBlock(lines); ok {
		h.apply(w, "")
		lines = lines[n:]
		hasHeader = true
	}
	paras := textParagraphs(lines)
	// Separator lines right after the header are part of it.
	for len(paras) > 0 && len(paras[0]) == 1 && separatorRe.MatchString(paras[0][0]) {
		paras = paras[1:]
	}
	if !hasHeader && len(paras) > 1 {
		if first := strings.Join(trimAll(paras[0]), " "); !isHeadingPara(paras[0]) && isProseSummary(first) {
			sum, inWhich, warns := proseSummary(first)
			w.Summary = textParagraphsHTML(sum)
			w.inWhich = inWhich
			addWarnings(w, warns)
			paras = paras[1:]
		}
	}
	var (
		cur      *Chapter
		body     strings.Builder
		pending  string // an epigraph waiting for the chapter it opens
		atStart  = true // no text yet in the current chapter
		chapters []Chapter
	)
	flush := func() {
		if cur == nil {
			return
		}
		cur.Body = body.String()
		body.Reset()
		if hasText(cur.Body) {
			chapters = append(chapters, *cur)
		}
		cur = nil
	}
	start := func(title string) {
		flush()
		cur = &Chapter{Title: title}
		atStart = true
		if pending != "" {
			body.WriteString(pending)
			pending = ""
			atStart = false
		}
	}
	for i := 0; i < len(paras); i++ {
		p := paras[i]
		if t, ok := heading(p[0]); ok {
			start(t)
			if len(p) == 1 {
				continue
			}
			p = p[1:]
		}
		if len(p) == 1 && separatorRe.MatchString(p[0]) {
			if cur != nil && !atStart {
				body.WriteString("<hr/>")
			}
			continue
		}
		if atStart || cur == nil && pending == "" {
			if q, a, ok := epigraph(p); ok && i+1 < len(paras) {
				if cur == nil {
					pending = epigraphHTML(q, a)
				} else {
					body.WriteString(epigraphHTML(q, a))
					atStart = false
				}
				continue
			}
			// A quoted passage with its attribution on the next line.
			if i+2 < len(paras) && len(paras[i+1]) == 1 {
				if a, ok := dashed(strings.TrimSpace(paras[i+1][0])); ok {
					if first := strings.TrimSpace(p[0]); strings.HasPrefix(first, `"`) || strings.HasPrefix(first, "“") {
						e := epigraphHTML(trimQuotes(p), a)
						i++
						if cur == nil {
							pending = e
						} else {
							body.WriteString(e)
							atStart = false
						}
						continue
					}
				}
			}
		}
		if cur == nil {
			start("")
		}
		body.WriteString(paragraphHTML(p))
		body.WriteByte('\n')
		atStart = false
	}
	flush()
	if pending != "" {
		chapters = append(chapters, Chapter{Body: pending})
	}
	w.Chapters = chapters
	return w, nil
}

func isHeadingPara(p []string) bool {
	_, ok := heading(p[0])
	return ok
}
