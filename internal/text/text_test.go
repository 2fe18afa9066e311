package text

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestAllowedElementsSurvive(t *testing.T) {
	tests := []struct {
		in   string
		want string // must appear in Sanitize output
	}{
		{`<p>x</p>`, `<p>x</p>`},
		{`a<br>b`, `<br>`},
		{`<em>x</em>`, `<em>x</em>`},
		{`<i>x</i>`, `<i>x</i>`},
		{`<strong>x</strong>`, `<strong>x</strong>`},
		{`<b>x</b>`, `<b>x</b>`},
		{`<u>x</u>`, `<u>x</u>`},
		{`<s>x</s>`, `<s>x</s>`},
		{`<strike>x</strike>`, `<strike>x</strike>`},
		{`<del>x</del>`, `<del>x</del>`},
		{`<ins>x</ins>`, `<ins>x</ins>`},
		{`<sub>x</sub>`, `<sub>x</sub>`},
		{`<sup>x</sup>`, `<sup>x</sup>`},
		{`<small>x</small>`, `<small>x</small>`},
		{`<big>x</big>`, `<big>x</big>`},
		{`<blockquote cite="https://example.com/src">x</blockquote>`, `<blockquote cite="https://example.com/src">x</blockquote>`},
		{`<q cite="https://example.com/">x</q>`, `<q cite="https://example.com/">x</q>`},
		{`<cite>x</cite>`, `<cite>x</cite>`},
		{`<abbr title="HyperText">HTML</abbr>`, `<abbr title="HyperText">HTML</abbr>`},
		{`<acronym title="t">x</acronym>`, `<acronym title="t">x</acronym>`},
		{`<code>x</code>`, `<code>x</code>`},
		{"<pre>a\n  b</pre>", "<pre>a\n  b</pre>"},
		{`<kbd>x</kbd>`, `<kbd>x</kbd>`},
		{`<samp>x</samp>`, `<samp>x</samp>`},
		{`<var>x</var>`, `<var>x</var>`},
		{`<hr>`, `<hr>`},
		{`<h1>x</h1>`, `<h1>x</h1>`},
		{`<h2>x</h2>`, `<h2>x</h2>`},
		{`<h3>x</h3>`, `<h3>x</h3>`},
		{`<h4>x</h4>`, `<h4>x</h4>`},
		{`<h5>x</h5>`, `<h5>x</h5>`},
		{`<h6>x</h6>`, `<h6>x</h6>`},
		{`<ul><li>x</li></ul>`, `<ul><li>x</li></ul>`},
		{`<ol start="3" type="a" reversed><li>x</li></ol>`, `<ol start="3" type="a" reversed=""><li>x</li></ol>`},
		{`<dl><dt>t</dt><dd>d</dd></dl>`, `<dl><dt>t</dt><dd>d</dd></dl>`},
		{`<details open><summary>s</summary>x</details>`, `<details open=""><summary>s</summary>x</details>`},
		{`<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>`, `<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>`},
		{`<center>x</center>`, `<center>x</center>`},
		{`<figure><img src="https://e.com/a.png" alt="A"><figcaption>c</figcaption></figure>`, `<figure><img src="https://e.com/a.png" alt="A"><figcaption>c</figcaption></figure>`},
		{`<a href="https://example.com/">x</a>`, `<a href="https://example.com/" rel="nofollow">x</a>`},
		{`<a href="/works/1">x</a>`, `<a href="/works/1" rel="nofollow">x</a>`},
		{`<a href="mailto:a@example.com">x</a>`, `<a href="mailto:a@example.com" rel="nofollow">x</a>`},
		{`<img src="http://e.com/a.png" alt="a" title="t" width="100" height="50">`, `<img src="http://e.com/a.png" alt="a" title="t" width="100" height="50">`},
		{`<table><caption>c</caption><colgroup span="2"><col span="1"></colgroup><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2" rowspan="1">d</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>`,
			`<table><caption>c</caption><colgroup span="2"><col span="1"></colgroup><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2" rowspan="1">d</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>`},
		{`<p align="center" dir="rtl" lang="ar" title="t">x</p>`, `<p align="center" dir="rtl" lang="ar" title="t">x</p>`},
		{`<div align="right">x</div>`, `<div align="right">x</div>`},
		{`<span lang="fr-CA">x</span>`, `<span lang="fr-CA">x</span>`},
	}
	for _, tt := range tests {
		got := Sanitize(tt.in)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Sanitize(%q) = %q, want it to contain %q", tt.in, got, tt.want)
		}
	}
}

func TestHostileRemoved(t *testing.T) {
	tests := []struct {
		name, in string
		gone     []string // must not appear (case-insensitive)
		kept     []string // must appear
	}{
		{"script", `a<script>alert(1)</script>b`, []string{"<script", "alert"}, []string{"a", "b"}},
		{"script uppercase", `<SCRIPT SRC=//evil.js></SCRIPT>ok`, []string{"script", "evil"}, []string{"ok"}},
		{"unclosed script", `ok<script>alert(1)`, []string{"script", "alert"}, []string{"ok"}},
		{"onerror", `<img src="https://e.com/x.png" onerror="alert(1)">`, []string{"onerror", "alert"}, []string{`src="https://e.com/x.png"`}},
		{"onclick on p", `<p onclick="alert(1)" onmouseover=x>hi</p>`, []string{"onclick", "onmouseover"}, []string{"<p>hi</p>"}},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, []string{"javascript", "href"}, []string{"x"}},
		{"mixed case", `<a href="JaVaScRiPt:alert(1)">x</a>`, []string{"javascript", "href"}, []string{"x"}},
		{"tab entity", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"ascript", "href"}, []string{"x"}},
		{"newline entity", `<a href="jav&#x0A;ascript:alert(1)">x</a>`, []string{"ascript", "href"}, nil},
		{"entity encoded", `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`, []string{"href", "alert"}, []string{"x"}},
		{"hex entity colon", `<a href="javascript&#x3A;alert(1)">x</a>`, []string{"href", "alert"}, nil},
		{"named colon", `<a href="javascript&colon;alert(1)">x</a>`, []string{"href", "alert"}, nil},
		{"leading space", `<a href="  javascript:alert(1)">x</a>`, []string{"href", "alert"}, nil},
		{"vbscript", `<a href="vbscript:msgbox(1)">x</a>`, []string{"vbscript", "href"}, nil},
		{"data href", `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, []string{"data:", "href"}, nil},
		{"data img", `<img src="data:image/png;base64,iVBORw0KGgo=">`, []string{"data:", "<img"}, nil},
		{"relative img", `<img src="/x.png">`, []string{"<img"}, nil},
		{"javascript img", `<img src="javascript:alert(1)">`, []string{"<img", "javascript"}, nil},
		{"style attr", `<p style="color:red">x</p>`, []string{"style", "color"}, []string{"<p>x</p>"}},
		{"style elem", `<style>body{background:url(x)}</style>text`, []string{"style", "background", "body{"}, []string{"text"}},
		{"svg script", `<svg><script>alert(1)</script><text>svgtext</text></svg>after`, []string{"svg", "alert", "svgtext"}, []string{"after"}},
		{"svg onload", `<svg onload=alert(1)>x</svg>y`, []string{"onload", "alert"}, []string{"y"}},
		{"math", `<math><mi>secret</mi></math>ok`, []string{"secret", "math"}, []string{"ok"}},
		{"iframe", `<iframe src="https://evil.example/">inner</iframe>ok`, []string{"iframe", "evil", "inner"}, []string{"ok"}},
		{"object", `<object data="x.swf"><param name=a>fallback</object>ok`, []string{"object", "fallback", "swf"}, []string{"ok"}},
		{"embed is void", `<embed src="x.swf">ok`, []string{"embed", "swf"}, []string{"ok"}},
		{"template", `<template><p>hidden</p></template>ok`, []string{"hidden"}, []string{"ok"}},
		{"noscript", `<noscript>ns</noscript>ok`, []string{"ns<", ">ns"}, []string{"ok"}},
		{"xmp", `<xmp><script>alert(1)</script></xmp>ok`, []string{"alert", "xmp"}, []string{"ok"}},
		{"plaintext", `ok<plaintext><script>alert(1)</script>`, []string{"alert", "plaintext"}, []string{"ok"}},
		{"textarea", `<textarea>txt</textarea>ok`, []string{"txt", "textarea"}, []string{"ok"}},
		{"select", `<select><option>opt</option></select>ok`, []string{"opt", "select"}, []string{"ok"}},
		{"title/head", `<head><title>T</title><meta http-equiv="refresh" content="0;url=javascript:x"></head>ok`, []string{"<title", "refresh", "javascript"}, []string{"ok"}},
		{"form", `<form action="https://evil.example/"><input name=a value=b><button formaction="javascript:x">go</button></form>`, []string{"form", "input", "button", "evil", "javascript"}, []string{"go"}},
		{"target", `<a href="https://e.com/" target="_blank">x</a>`, []string{"target", "_blank"}, []string{`rel="nofollow"`}},
		{"user rel", `<a href="https://e.com/" rel="me">x</a>`, []string{`rel="me"`}, []string{`rel="nofollow"`}},
		{"id and class", `<p id="x" class="y">t</p>`, []string{"id=", "class="}, []string{"<p>t</p>"}},
		{"page id", `<p id="comments">t</p><a id="uc-x onclick=y">u</a>`, []string{"id=", "onclick"}, []string{"<p>t</p>"}},
		{"user id", `<p id="uc-c2-note-3">t</p><a href="#uc-c2-note-3">n</a>`, []string{"script"}, []string{`<p id="uc-c2-note-3">t</p>`, `href="#uc-c2-note-3"`}},
		{"link/meta/base", `<link rel=stylesheet href=x.css><base href="https://evil.example/"><meta charset=utf-8>ok`, []string{"<link", "<base", "<meta", "evil"}, []string{"ok"}},
		{"title with scheme", `<abbr title="javascript:alert(1)">x</abbr>`, []string{"javascript", "title"}, []string{"<abbr>x</abbr>"}},
		{"comment", `<!-- secret --><p>x</p>`, []string{"secret", "<!--"}, []string{"<p>x</p>"}},
		{"conditional comment", `<!--[if IE]><script>alert(1)</script><![endif]-->x`, []string{"alert", "script"}, []string{"x"}},
		{"width injection", `<img src="https://e.com/a.png" width="100 onerror=alert(1)">`, []string{"onerror", "width"}, []string{"<img"}},
		{"dir injection", `<p dir="javascript:x">t</p>`, []string{"dir", "javascript"}, []string{"<p>t</p>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"html", "markdown"} {
				got := Render(tt.in, format)
				low := strings.ToLower(got)
				for _, g := range tt.gone {
					if strings.Contains(low, strings.ToLower(g)) {
						t.Errorf("Render(%q, %s) = %q, contains %q", tt.in, format, got, g)
					}
				}
				for _, k := range tt.kept {
					if !strings.Contains(got, k) {
						t.Errorf("Render(%q, %s) = %q, lost %q", tt.in, format, got, k)
					}
				}
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<<p>>`, `<p>&lt;</p><p>&gt;`},
		{`<b>bold <i>both`, `<p><b>bold <i>both</p>`},
		{`<p>unclosed`, `<p>unclosed`},
		{`</div></p>stray`, `<p>stray</p>`},
		{`a < b > c`, `<p>a &lt; b &gt; c</p>`},
		{`<p <p>x`, `x`},
		{`<a href="https://e.com/>x</a>`, ``},
		{`<!DOCTYPE html><html><body><p>doc</p></body></html>`, `<p>doc</p>`},
		{`<`, `&lt;`},
		{`<p>x</p></`, `<p>x</p>`},
	}
	for _, tt := range tests {
		got := Render(tt.in, "html")
		if !strings.Contains(got, tt.want) {
			t.Errorf("Render(%q) = %q, want it to contain %q", tt.in, got, tt.want)
		}
		checkSafe(t, tt.in, got)
	}
}

func TestInvalidUTF8AndNUL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"caf\xe9", "caf\uFFFD"},
		{"a\x00b", "ab"},
		{"<scr\x00ipt>alert(1)</script>", ""},
		{"\xff\xfe<p>x</p>", "<p>\uFFFD</p><p>x</p>"},
		{"ok\xc3", "ok\uFFFD"},
	}
	for _, tt := range tests {
		if got := ValidUTF8(tt.in); !utf8.ValidString(got) || strings.Contains(got, "\x00") {
			t.Errorf("ValidUTF8(%q) = %q", tt.in, got)
		}
		for _, format := range []string{"html", "markdown", "text"} {
			got := Render(tt.in, format)
			if !utf8.ValidString(got) || strings.Contains(got, "\x00") {
				t.Errorf("Render(%q, %s) = %q: invalid UTF-8 or NUL", tt.in, format, got)
			}
			if format == "html" && !strings.Contains(got, tt.want) {
				t.Errorf("Render(%q, html) = %q, want %q", tt.in, got, tt.want)
			}
			checkSafe(t, tt.in, got)
		}
	}
	if got := ValidUTF8("plain"); got != "plain" {
		t.Errorf("ValidUTF8 changed valid input: %q", got)
	}
	if got := Sanitize("caf\xe9"); !utf8.ValidString(got) {
		t.Errorf("Sanitize invalid UTF-8: %q", got)
	}
}

func TestRenderHTMLParagraphs(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"typed paragraphs", "First line\nsecond line\n\nNew para.", "<p>First line<br>\nsecond line</p>\n\n<p>New para.</p>"},
		{"CRLF", "One\r\n\r\nTwo\r\nthree", "<p>One</p>\n\n<p>Two<br>\nthree</p>"},
		{"many blank lines", "A\n\n\n\n\nB", "<p>A</p>\n\n\n\n\n<p>B</p>"},
		{"blank line with spaces", "A\n   \t\nB", "<p>A</p>\n   \t\n<p>B</p>"},
		{"inline markup", "She <em>ran</em>.\n\n<strong>Fast.</strong>", "<p>She <em>ran</em>.</p>\n\n<p><strong>Fast.</strong></p>"},
		{"existing br not doubled", "a<br>\nb", "<p>a<br>\nb</p>"},
		{"structured left alone", "<p>One\ntwo</p>\n<p>Three</p>", "<p>One\ntwo</p>\n<p>Three</p>"},
		{"pre untouched", "<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>"},
		{"text around blocks", "Intro\n\n<blockquote>quoted</blockquote>\nOutro one\n\nOutro two", "<p>Intro</p>\n\n<blockquote>quoted</blockquote>\n<p>Outro one</p>\n\n<p>Outro two</p>"},
		{"hr between", "Part one\n<hr>\nPart two", "<p>Part one</p>\n<hr>\n<p>Part two</p>"},
		{"whitespace only", " \n\n ", " \n\n "},
		{"empty", "", ""},
		{"stripped wrapper", "<section>one\n\ntwo</section>", "<p>one</p>\n\n<p>two</p>"},
		{"list", "<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.in, "html"); got != tt.want {
				t.Errorf("Render(%q, html)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
	// Unknown format falls back to html.
	if got := Render("<em>x</em>", "rtf"); got != "<p><em>x</em></p>" {
		t.Errorf("unknown format: got %q", got)
	}
}

func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		gone     []string
	}{
		{"emphasis", "*em* and **strong** and ~~gone~~", []string{"<em>em</em>", "<strong>strong</strong>", "<del>gone</del>"}, nil},
		{"blockquote", "> quoted\n> more", []string{"<blockquote>", "quoted"}, nil},
		{"lists", "- a\n- b\n\n1. one\n2. two", []string{"<ul>", "<li>a</li>", "<ol>", "<li>one</li>"}, nil},
		{"ordered start", "3. three\n4. four", []string{`<ol start="3">`}, nil},
		{"hr", "a\n\n---\n\nb", []string{"<hr>"}, nil},
		{"heading", "## Chapter", []string{"<h2>Chapter</h2>"}, nil},
		{"link", "[AO3](https://archiveofourown.org/)", []string{`<a href="https://archiveofourown.org/" rel="nofollow">AO3</a>`}, nil},
		{"js link", "[x](javascript:alert(1))", []string{"x"}, []string{"javascript", "href"}},
		{"image", "![alt](https://e.com/a.png)", []string{`<img src="https://e.com/a.png" alt="alt">`}, nil},
		{"data image", "![alt](data:image/png;base64,AAAA)", []string{`alt="alt"`}, []string{"data:", "src"}},
		{"table", "| a | b |\n|:--|--:|\n| 1 | 2 |", []string{"<table>", "<th align=\"left\">a</th>", "<td align=\"right\">2</td>"}, []string{"style"}},
		{"raw script", "hello\n\n<script>alert(1)</script>\n\nworld <script>x()</script>", []string{"hello", "world"}, []string{"script", "alert", "x()"}},
		{"raw html kept", "<em>raw</em> <span onclick=x>s</span>", []string{"<em>raw</em>", "<span>s</span>"}, []string{"onclick"}},
		{"code", "`<b>` and\n\n    <script>", []string{"<code>&lt;b&gt;</code>", "&lt;script&gt;"}, nil},
		{"paragraphs", "one\ntwo\n\nthree", []string{"<p>one\ntwo</p>", "<p>three</p>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.in, "markdown")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q, markdown) = %q, want %q", tt.in, got, w)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(strings.ToLower(got), g) {
					t.Errorf("Render(%q, markdown) = %q, contains %q", tt.in, got, g)
				}
			}
		})
	}
}

func TestRenderText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello\nworld\n\nBye", "<p>Hello<br>\nworld</p>\n\n<p>Bye</p>"},
		{"1 < 2 & <b>not bold</b>", "<p>1 &lt; 2 &amp; &lt;b&gt;not bold&lt;/b&gt;</p>"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{`"quotes" 'n' stuff`, "<p>&#34;quotes&#34; &#39;n&#39; stuff</p>"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Render(tt.in, "text"); got != tt.want {
			t.Errorf("Render(%q, text)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Hello <em>wor</em>ld</p><p>Next</p>", "Hello world\n\nNext"},
		{"a<br>b", "a\nb"},
		{"<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
		{"<p>fish &amp; chips &lt;3</p>", "fish & chips <3"},
		{"<p>a\n   b</p>", "a b"},
		{"<table><tr><td>x</td><td>y</td></tr></table>", "x y"},
		{"<style>p{}</style><script>x</script>text", "text"},
		{"<h1>T</h1>body", "T\n\nbody"},
		{"<pre>a\n  b</pre>", "a\n  b"},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"Hello, world!", 2},
		{"don't stop", 2},
		{"don’t stop", 2},
		{"日本語のテキスト", 8},
		{"I love 北京 very much", 6},
		{"Chapter 1: 你好世界", 6},
		{"3.14 is pi", 3},
		{"well—known em—dash", 4},
		{"word -- word", 2},
		{"<p>Hello</p><p>world</p>", 2},
		{"<p>end</p><p>start</p>", 2},
		{"one<br>two", 2},
		{`<a href="https://example.com/a-b-c">link text</a> <img src="https://e.com/a.png" alt="not counted">`, 2},
		{"<em>emph</em>asis", 1},
		{"   ", 0},
		{"", 0},
		{"... --- !!!", 0},
		{"한국어 문장", 5},
		{"e-mail", 2},
		{"<script>var a = 1</script>visible", 1},
		{"café naïve", 2},
		{"1,000 words", 2},
	}
	for _, tt := range tests {
		if got := CountWords(tt.in); got != tt.want {
			t.Errorf("CountWords(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestCountChars(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"Hello", 5},
		{"<p>Hello <em>world</em></p>", 11},
		{"<p>a</p><p>b</p>", 3}, // "a\n\nb": whitespace run counts once
		{"a     b\n\n\tc", 5},   // collapsed runs
		{"café", 4},             // code points, not bytes
		{"日本語", 3},
		{"fish &amp; chips", 12}, // entities decoded
		{`<a href="https://very.long/url">x</a>`, 1}, // markup not counted
		{Render(strings.Repeat("word ", 250), "html"), 1249},
	}
	for _, tt := range tests {
		if got := CountChars(tt.in); got != tt.want {
			t.Errorf("CountChars(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	// A summary just over the 1,250 limit must be detected as such.
	summary := Render(strings.Repeat("abcd ", 251), "text")
	if n := CountChars(summary); n <= 1250 {
		t.Errorf("CountChars(long summary) = %d, want > 1250", n)
	}
}

func TestConcurrentRender(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				src := fmt.Sprintf("*%d* <script>x</script>\n\n| a |\n|---|\n| %d |", i, j)
				for _, f := range []string{"html", "markdown", "text"} {
					if got := Render(src, f); strings.Contains(got, "<script") {
						t.Errorf("script survived: %q", got)
					}
				}
			}
		}(i)
	}
	wg.Wait()
}

func chapter(words int) string {
	vocab := strings.Fields(`the of and to a in that she he was it for on with as his her at by
		from <em>suddenly</em> <strong>never</strong> "quiet" don't couldn't—wait time rain moon
		sword letter castle <a href="https://example.com/">link</a> 日本 smiled`)
	var b strings.Builder
	for i := 0; i < words; i++ {
		b.WriteString(vocab[(i*7+i/3)%len(vocab)])
		switch {
		case i%97 == 96:
			b.WriteString(".\n\n")
		case i%13 == 12:
			b.WriteString(".\n")
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func BenchmarkRender(b *testing.B) {
	src := chapter(5000)
	for _, format := range []string{"html", "markdown", "text"} {
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Render(src, format)
			}
		})
	}
}

func BenchmarkCountWords(b *testing.B) {
	h := Render(chapter(5000), "html")
	b.SetBytes(int64(len(h)))
	for b.Loop() {
		CountWords(h)
	}
}
