package text

import (
	"strings"

	"golang.org/x/net/html"
)

// MaxNesting is how deep rich text may nest: block quotes in block quotes,
// lists in lists, emphasis in emphasis, links in brackets. Beyond it the
// text is kept and the structure flattened, as many renderers do.
//
// The bound is what keeps rendering linear: the Markdown parser's work per
// line grows with the depth of the containers open on it, so "> > > …" or
// "- - - …" a hundred thousand levels deep (a body well within the length
// limit) cost minutes of CPU and megabytes of HTML before it.
const MaxNesting = 32

// limitMarkdown escapes the Markdown markup that would nest deeper than
// MaxNesting, so that it reads as the literal characters instead:
//
//   - on each line, the container markers that open it (">", "-", "+",
//     "*", "1." or "1)"): the first beyond the limit gets a backslash, and
//     the rest of the line is then paragraph text. Leading indentation
//     counts a level per two columns, since list items nested by
//     indentation need at least that;
//   - within a paragraph (up to a blank line), a "[" with MaxNesting
//     brackets already open before it, and an emphasis run ("*", "_",
//     "~~") with MaxNesting runs already open.
//
// It never removes a character and adds at most one backslash per input
// byte, so its cost and output are linear in the input. A code block with
// more than MaxNesting markers, brackets or emphasis runs open shows the
// backslashes; nothing else that renders as intended changes.
func limitMarkdown(s string) string {
	if len(s) <= MaxNesting {
		return s // too short to nest that deep
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	var open inlineOpen
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line = s[:i+1]
		}
		s = s[len(line):]
		if strings.TrimSpace(line) == "" {
			open = inlineOpen{} // a blank line ends the paragraph
			b.WriteString(line)
			continue
		}
		limitInline(&b, limitContainers(&b, line), &open)
	}
	return b.String()
}

// limitContainers writes the container markers at the start of line to b,
// escaping the first one beyond MaxNesting, and returns the rest.
func limitContainers(b *strings.Builder, line string) string {
	depth, pos := 0, 0
	afterMarker := false
	for {
		cols := 0
		for pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') {
			if line[pos] == '\t' {
				cols += 4
			} else {
				cols++
			}
			pos++
		}
		if afterMarker && cols > 0 {
			cols-- // the space that ends a marker is no indentation
		}
		depth += cols / 2
		m := markerLen(line[pos:])
		if m == 0 {
			b.WriteString(line[:pos])
			return line[pos:]
		}
		depth++
		if depth > MaxNesting {
			if isThematicBreak(line[pos:]) {
				b.WriteString(line[:pos])
				return line[pos:]
			}
			// "\>", "\-", "1\.": the marker becomes text, and with it
			// the rest of the line.
			b.WriteString(line[:pos+m-1])
			b.WriteByte('\\')
			return line[pos+m-1:]
		}
		pos += m
		afterMarker = true
	}
}

// markerLen is the length of the block-container marker s starts with
// (">", a bullet or an ordered-list number followed by a space or the end
// of the line), or 0.
func markerLen(s string) int {
	if s == "" {
		return 0
	}
	ends := func(i int) bool { return i >= len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' }
	switch c := s[0]; {
	case c == '>':
		return 1
	case c == '-' || c == '+' || c == '*':
		if ends(1) {
			return 1
		}
	case c >= '0' && c <= '9':
		i := 0
		for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i < len(s) && (s[i] == '.' || s[i] == ')') && ends(i+1) {
			return i + 1
		}
	}
	return 0
}

// isThematicBreak reports whether s is a thematic break ("- - -", "***",
// "_ _ _"): one of those characters three times or more, and spaces.
func isThematicBreak(s string) bool {
	s = strings.TrimRight(s, " \t\r\n")
	if s == "" {
		return false
	}
	c, n := s[0], 0
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// inlineOpen is what is open in the paragraph so far.
type inlineOpen struct {
	brackets int // "[" not yet closed
	delims   int // emphasis and strikethrough runs not yet closed
}

// limitInline writes line to b, escaping each "[" and each emphasis run
// ("*", "_", "~~") that would be the (MaxNesting+1)th open one. Whether a
// run opens or closes is judged as CommonMark does, by what is on either
// side of it (a run before a letter and after a space opens; after a
// letter and before a space closes), which is close enough to bound the
// depth: a run that might do either is counted as closing when something
// is open.
func limitInline(b *strings.Builder, line string, st *inlineOpen) {
	last := 0
	escape := func(i int) {
		b.WriteString(line[last:i])
		b.WriteByte('\\')
		last = i
	}
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '\\':
			i++ // an escaped character opens and closes nothing
		case '[':
			if st.brackets >= MaxNesting {
				escape(i)
				continue
			}
			st.brackets++
		case ']':
			if st.brackets > 0 {
				st.brackets--
			}
		case '*', '_', '~':
			j := i
			for j < len(line) && line[j] == c {
				j++
			}
			var before, after byte = ' ', ' '
			if i > 0 {
				before = line[i-1]
			}
			if j < len(line) {
				after = line[j]
			}
			left := !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before))
			right := !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after))
			switch {
			case right && st.delims > 0:
				st.delims--
			case left && st.delims >= MaxNesting:
				for k := i; k < j; k++ {
					escape(k)
				}
			case left:
				st.delims++
			}
			i = j - 1
		}
	}
	b.WriteString(line[last:])
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// impliedEnd are elements the HTML parser closes by itself (a new <p>
// closes the open one, a new <li> the open item): a run of them does not
// nest, so they do not count towards the depth.
var impliedEnd = setOf("p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "rt", "rp", "option", "optgroup")

// voidElems have no content and no end tag.
var voidElems = setOf("br", "hr", "img", "col", "wbr", "area", "base", "embed", "input", "link", "meta", "source", "track", "param", "keygen")

// limitDepth drops the start and end tags of elements nested deeper than
// MaxNesting in sanitized HTML, keeping everything inside them: the text
// stays, the structure flattens. Like dropSuspectAttrs it only ever
// removes tags, so its output is as safe as its input; its work per tag is
// bounded by MaxNesting.
func limitDepth(s string) string {
	if strings.Count(s, "<") <= MaxNesting {
		return s // not enough tags to nest that deep
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	var stack []string          // the open elements kept, at most MaxNesting
	dropped := map[string]int{} // start tags dropped, by name, not yet closed
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			n := string(name)
			if !voidElems[n] && !impliedEnd[n] {
				if len(stack) >= MaxNesting {
					dropped[n]++
					continue
				}
				stack = append(stack, n)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			if dropped[n] > 0 {
				dropped[n]--
				continue
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == n {
					stack = stack[:i]
					break
				}
			}
		}
		b.Write(z.Raw())
	}
}
