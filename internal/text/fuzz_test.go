package text

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var fuzzSeeds = []string{
	"",
	"plain text\n\nwith paragraphs\nand lines",
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href="&#106;avascript:alert(1)">x</a>`,
	`<a href="javascript&colon;alert(1)">x</a>`,
	`<img src="data:image/svg+xml;base64,PHN2Zz4=">`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg/onload=alert(1)>`,
	`<style>*{background:url(javascript:x)}</style>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<<p>>`,
	`<p <a href=x>`,
	"<scr\x00ipt>alert(1)</scr\x00ipt>",
	"\xff\xfe\xfd<p>\xc3</p>",
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<!--><img src=x onerror=alert(1)>-->`,
	`<a href="http://e.com/" title="vbscript:x">x</a>`,
	`<xmp><script>alert(1)</script></xmp>`,
	`<plaintext><script>`,
	`<template><script>alert(1)</script></template>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<form><button formaction=javascript:alert(1)>x</button></form>`,
	"# md\n\n[x](javascript:alert(1))\n\n![i](data:image/png;base64,AA)\n\n<script>x</script>",
	"| a | b |\n|---|---|\n| <img src=x onerror=y> | 2 |",
	"<div>\n\n<p>a\n\n</div>\n\nb",
	`<a href="http://e.com/data:x">x</a>`,
	`<abbr title="JAVASCRİPT:x">x</abbr>`,
	// Nesting beyond MaxNesting, each way it can be written.
	strings.Repeat("> ", 40) + "x",
	strings.Repeat("- ", 40) + "x\n" + strings.Repeat("  ", 40) + "- y",
	strings.Repeat("1. > ", 20) + "x",
	strings.Repeat("[", 40) + "x" + strings.Repeat("](u)", 40),
	strings.Repeat("*a _b ~~c ", 15) + "x",
	strings.Repeat("<div><em>", 20) + "x" + strings.Repeat("</em></div>", 20),
	strings.Repeat("<ul><li><blockquote>", 15) + "x",
	strings.Repeat("<b>", 40) + strings.Repeat("</i>", 40) + "x",
}

var onAttr = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)

// checkSafe asserts the properties every Render output must have.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 output for %q: %q", in, out)
	}
	if strings.ContainsRune(out, 0) {
		t.Fatalf("NUL in output for %q: %q", in, out)
	}
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("<script in output for %q: %q", in, out)
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "base", "link", "meta":
			t.Fatalf("<%s> in output for %q: %q", tok.Data, in, out)
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") || onAttr.MatchString(" "+key+"=") {
				t.Fatalf("event handler %q in output for %q: %q", a.Key, in, out)
			}
			if key == "style" {
				t.Fatalf("style attribute in output for %q: %q", in, out)
			}
			v := strings.ToLower(a.Val)
			for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
				if strings.Contains(v, bad) {
					t.Fatalf("%s in attribute %s=%q in output for %q: %q", bad, a.Key, a.Val, in, out)
				}
			}
		}
	}
	// Belt and braces: look at the raw text of every tag as well, in case
	// the tokenizer and a browser disagree about where attributes are.
	// Quoted values are blanked first: " onA=" inside a title is just text.
	for _, m := range tagRE.FindAllString(out, -1) {
		m = quotedRE.ReplaceAllString(m, `""`)
		if onAttr.MatchString(m) || strings.Contains(strings.ToLower(m), "style=") {
			t.Fatalf("suspicious tag %q in output for %q: %q", m, in, out)
		}
	}
}

var (
	tagRE    = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	quotedRE = regexp.MustCompile(`"[^"]*"|'[^']*'`)
)

func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, format := range []string{"html", "markdown", "text"} {
			out := render(in, format) // no recover: a panic fails the fuzzer
			checkSafe(t, in, out)
			if d := nestingDepth(out); d > MaxNesting {
				t.Fatalf("%s input nests %d deep, more than %d, for %q: %q", format, d, MaxNesting, in, out)
			}
			if f := limitMarkdown(in); len(f) > 2*len(in) || openBrackets(f) > MaxNesting {
				t.Fatalf("limitMarkdown grew %d bytes to %d or left %d brackets open for %q", len(in), len(f), openBrackets(f), in)
			}
			if got := Render(in, format); got != out {
				t.Fatalf("Render not deterministic for %q", in)
			}
		}
		_ = CountWords(in)
		_ = CountChars(in)
		if s := Sanitize(in); !utf8.ValidString(s) {
			t.Fatalf("Sanitize invalid UTF-8 for %q", in)
		}
	})
}
