package text

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// nestingDepth is the deepest nesting of counted elements in h, measured as
// limitDepth counts it.
func nestingDepth(h string) int {
	z := html.NewTokenizer(strings.NewReader(h))
	var stack []string
	deepest := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return deepest
		case html.StartTagToken:
			name, _ := z.TagName()
			if n := string(name); !voidElems[n] && !impliedEnd[n] {
				stack = append(stack, n)
				deepest = max(deepest, len(stack))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == n {
					stack = stack[:i]
					break
				}
			}
		}
	}
}

// openBrackets is the most "[" open at once in Markdown source, as
// limitMarkdown counts them (per paragraph, backslash escapes skipped).
func openBrackets(s string) int {
	open, most := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			open++
			most = max(most, open)
		case ']':
			open = max(open-1, 0)
		case '\n':
			if j := strings.IndexByte(s[i+1:], '\n'); strings.TrimSpace(s[i+1:i+1+max(j, 0)]) == "" {
				open = 0
			}
		}
	}
	return most
}

// Brackets do not nest in the HTML ("[[[x]]]" is text), but the parser
// matches each "]" against every "[" before it: the Markdown it is given
// has at most MaxNesting open at once.
func TestBracketsBounded(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("[", 5000) + "x" + strings.Repeat("]", 5000),
		strings.Repeat("![", 5000) + "x" + strings.Repeat("](u)", 5000),
		strings.Repeat("[a ", 5000) + "\n" + strings.Repeat("[b ", 5000),
	} {
		if n := openBrackets(limitMarkdown(in)); n > MaxNesting {
			t.Errorf("%d brackets open at once in %.40q…", n, in)
		}
	}
	// A blank line ends the count: paragraphs each get their own.
	in := strings.Repeat("[", MaxNesting) + "\n\n" + strings.Repeat("[", MaxNesting)
	if got := limitMarkdown(in); got != in {
		t.Errorf("brackets within the limit were escaped: %q", got)
	}
}

// hostile are inputs that nest as deep as their size lets them, each
// built at n levels (or n repetitions).
var hostile = []struct {
	name, format string
	gen          func(n int) string
}{
	{"blockquotes", "markdown", func(n int) string { return strings.Repeat("> ", n) + "x" }},
	{"blockquotes packed", "markdown", func(n int) string { return strings.Repeat(">", n) + "x" }},
	{"bullets", "markdown", func(n int) string { return strings.Repeat("- ", n) + "x" }},
	{"numbers", "markdown", func(n int) string { return strings.Repeat("1. ", n) + "x" }},
	{"quotes in lists", "markdown", func(n int) string { return strings.Repeat("> * ", n/2) + "x" }},
	{"indented lists", "markdown", func(n int) string {
		var b strings.Builder
		for i := 0; i < n/64; i++ {
			b.WriteString(strings.Repeat(" ", 2*i) + "- x\n")
		}
		return b.String()
	}},
	{"brackets", "markdown", func(n int) string { return strings.Repeat("[", n) + "x" + strings.Repeat("]", n) }},
	{"links", "markdown", func(n int) string { return strings.Repeat("[", n) + "x" + strings.Repeat("](u)", n) }},
	{"images", "markdown", func(n int) string { return strings.Repeat("![", n) + "x" + strings.Repeat("](u)", n) }},
	{"emphasis", "markdown", func(n int) string { return strings.Repeat("*a ", n) + "x" + strings.Repeat(" b*", n) }},
	{"strong", "markdown", func(n int) string { return strings.Repeat("__a ", n) + "x" + strings.Repeat(" b__", n) }},
	{"strikethrough", "markdown", func(n int) string { return strings.Repeat("~~a ", n) + "x" + strings.Repeat(" b~~", n) }},
	{"raw html in markdown", "markdown", func(n int) string { return strings.Repeat("<div>", n) + "x" }},
	{"deep lines repeated", "markdown", func(n int) string { return strings.Repeat(strings.Repeat("> - ", 40)+"x\n", n/80) }},
	{"html divs", "html", func(n int) string { return strings.Repeat("<div>", n) + "x" }},
	{"html quotes", "html", func(n int) string { return strings.Repeat("<blockquote><p>", n) + "x" }},
	{"html lists", "html", func(n int) string { return strings.Repeat("<ul><li>", n) + "x" }},
	{"html emphasis", "html", func(n int) string { return strings.Repeat("<em><b>", n) + "x" }},
	{"html tables", "html", func(n int) string { return strings.Repeat("<table><tr><td>", n) + "x" }},
}

// Whatever the shape, rendering keeps nesting to MaxNesting, and twice the
// levels make at most about twice the HTML. Depth is the deterministic
// measure of the work: the Markdown parser's cost per line grows with the
// containers open on it, which is what made these inputs quadratic (a 200
// KB body took 32 s); with the depth bounded the work is linear in the
// input, as BenchmarkRenderHostile shows in time.
func TestHostileNestingIsBounded(t *testing.T) {
	const n = 4000
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			one, two := Render(h.gen(n), h.format), Render(h.gen(2*n), h.format)
			for _, out := range []string{one, two} {
				if d := nestingDepth(out); d > MaxNesting {
					t.Errorf("nests %d deep, more than %d", d, MaxNesting)
				}
			}
			if len(two) > 2*len(one)+4096 {
				t.Errorf("twice the nesting made %d bytes of HTML against %d: growth is super-linear", len(two), len(one))
			}
			if !strings.Contains(two, "x") {
				t.Errorf("the text inside was lost: %.200q", two)
			}
		})
	}
}

// A body at the length limit, nested as deep as it can be, still renders
// to bounded depth and size: no shape multiplies it beyond MaxHTMLBytes'
// budget of about ten times.
func TestHostileBodyAtTheLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("renders several half-megabyte bodies")
	}
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			n := 1
			for len(h.gen(2*n)) <= 500_000 {
				n *= 2
			}
			in := h.gen(n)
			out := Render(in, h.format)
			if d := nestingDepth(out); d > MaxNesting {
				t.Errorf("%d bytes in: nests %d deep", len(in), d)
			}
			if len(out) > 16*len(in)+4096 {
				t.Errorf("%d bytes in, %d of HTML out", len(in), len(out))
			}
		})
	}
}

// Nesting within the limit is left as written.
func TestNestingWithinTheLimitKept(t *testing.T) {
	for _, tc := range []struct{ in, format, want string }{
		{strings.Repeat("> ", MaxNesting) + "deep", "markdown", strings.Repeat("<blockquote>\n", MaxNesting) + "<p>deep</p>"},
		{strings.Repeat("<div>", MaxNesting) + "deep" + strings.Repeat("</div>", MaxNesting), "html", strings.Repeat("<div>", MaxNesting) + "deep" + strings.Repeat("</div>", MaxNesting)},
		{"- - -", "markdown", "<hr>"},
		{"a\n\n" + strings.Repeat("- ", 40) + "-", "markdown", "<hr>"},
		{"[a [b] c](https://example.com/) and *one* _two_ ~~three~~", "markdown", `<a href="https://example.com/" rel="nofollow">a [b] c</a> and <em>one</em> <em>two</em> <del>three</del>`},
		{"snake_case_name and a_b_c " + strings.Repeat("x_y ", 80), "markdown", "snake_case_name and a_b_c x_y"},
	} {
		out := Render(tc.in, tc.format)
		if !strings.Contains(out, tc.want) {
			t.Errorf("Render(%.60q) = %.300q, want it to contain %.200q", tc.in, out, tc.want)
		}
	}
	if out := Render(strings.Repeat("- ", MaxNesting)+"deep", "markdown"); nestingDepth(out) != MaxNesting || !strings.Contains(out, "<li>deep</li>") {
		t.Errorf("a list %d deep: %q", MaxNesting, out)
	}
	// One level more: the text stays, the extra level reads as the literal
	// marker.
	out := Render(strings.Repeat("> ", MaxNesting+1)+"deeper", "markdown")
	if !strings.Contains(out, "&gt; deeper") || nestingDepth(out) != MaxNesting {
		t.Errorf("one level too deep: %q", out)
	}
}

func BenchmarkRenderHostile(b *testing.B) {
	for _, h := range hostile {
		for _, n := range []int{10000, 20000, 40000} {
			in := h.gen(n)
			b.Run(fmt.Sprintf("%s/n=%d", h.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				for b.Loop() {
					Render(in, h.format)
				}
			})
		}
	}
}
