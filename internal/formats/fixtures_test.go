package formats_test

import (
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/text"
)

func rich(src string) archive.Rich {
	return archive.Rich{Source: src, Format: archive.FormatHTML, HTML: text.Render(src, text.FormatHTML)}
}

func md(src string) archive.Rich {
	return archive.Rich{Source: src, Format: archive.FormatMarkdown, HTML: text.Render(src, text.FormatMarkdown)}
}

var (
	posted  = time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	updated = time.Date(2024, 4, 2, 18, 5, 7, 0, time.UTC)
)

func site(id int64) formats.SiteInfo {
	return formats.SiteInfo{Name: "Quire Test Archive", WorkURL: "http://quire.test/works/" + itoa(id),
		Series: []formats.SeriesInfo{{Title: "Lights & Lamps", Position: int(id), URL: "http://quire.test/series/4"}, {Title: "Side Stories", Position: 1, URL: "http://quire.test/series/5"}}}
}

func itoa(n int64) string {
	const d = "0123456789"
	if n < 10 {
		return d[n : n+1]
	}
	return itoa(n/10) + d[n%10:n%10+1]
}

// fixture is one work with its chapters.
type fixture struct {
	name     string
	work     *archive.Work
	chapters []*archive.Chapter
}

func baseWork(id int64, title, lang string) *archive.Work {
	return &archive.Work{
		ID: id, Title: title, Language: lang,
		Creators: []archive.Creator{{Pseud: "lanternkeeper", UserName: "lanternkeeper", UserID: 1}, {Pseud: "Second Pen", UserName: "pen", UserID: 2}},
		Tags: map[archive.TagType][]string{
			archive.TypeRating:       {archive.RatingTeen},
			archive.TypeWarning:      {archive.WarningNone},
			archive.TypeCategory:     {"Gen", "F/F"},
			archive.TypeFandom:       {"Lantern Tales"},
			archive.TypeRelationship: {"Ada/Bea"},
			archive.TypeCharacter:    {"Ada", "Bea"},
			archive.TypeFreeform:     {"Found Family", "Slow Burn & Tea"},
		},
		Summary:        rich("<p>Two keepers mind a <em>harbor light</em> &amp; argue about tea.</p>"),
		Notes:          rich("<p>Thanks to my beta&nbsp;reader.</p>"),
		EndNotes:       rich("<p>Come say hi at <a href=\"https://example.org/\">my site</a>.</p>"),
		ChaptersPosted: 2, ChaptersExpected: 0, Words: 1234,
		PostedAt: posted, UpdatedAt: updated, EditedAt: updated,
	}
}

func chapter(id int64, pos int, title string, body archive.Rich) *archive.Chapter {
	return &archive.Chapter{ID: id, Position: pos, Title: title, Body: body, PostedAt: posted, UpdatedAt: updated}
}

func fixtures() []fixture {
	var fs []fixture

	w := baseWork(1, "A Quiet Harbor", "en")
	c1 := chapter(11, 1, "Arrival", rich(`<p>The first chapter begins <strong>here</strong>, on a wet pier.</p>
<blockquote cite="https://example.org/poem"><p>"The sea is calm tonight,"</p><p>— A Poet</p></blockquote>
<hr>
<p align="center">* * *</p>
<center>An old centred line</center>
<p>Some <big>big</big> and <strike>struck</strike> and <acronym title="as soon as possible">ASAP</acronym> text.<br>A second line.</p>
<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>
<ol start="3" type="i" reversed><li>three</li></ol>
<dl><dt>Term</dt><dd>Definition</dd><dd>Orphan description</dd></dl>
<details><summary>Spoiler</summary><p>Hidden text.</p></details>
<p><a href="/works/2">a relative link</a>, <a href="#nowhere">a fragment link</a>, <a href="mailto:keeper@example.org">mail</a>.</p>
<p><img src="https://images.example.org/lighthouse.png" alt="A lighthouse at dusk" width="300"></p>
<p><a href="https://example.org/full"><img src="https://images.example.org/thumb.png" alt="thumb"></a></p>
<em><p>Paragraph inside emphasis.</p></em>
<p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> and a <q>quote</q>.</p>`))
	c1.Summary = rich("<p>They arrive.</p>")
	c1.Notes = rich("<p>Chapter notes.</p>")
	c1.EndNotes = rich("<p>Chapter end notes.</p>")
	c2 := chapter(12, 2, "", md(`A **markdown** chapter with a table:

| Name | Role |
|:-----|-----:|
| Ada  | keeper |
| Bea  | cook |

1. first
2. second

> quoted *line*

Emoji: 🌊🏮👩‍👩‍👧 and a [link](https://example.org/x?a=1&b=2).

`+"```\ncode block <tag>\n```\n"))
	fs = append(fs, fixture{"english-rich", w, []*archive.Chapter{c1, c2}})

	w = baseWork(2, "港の灯り", "ja")
	w.Summary = rich("<p>二人の灯台守の物語。</p>")
	w.Tags[archive.TypeFandom] = []string{"灯籠物語"}
	fs = append(fs, fixture{"japanese", w, []*archive.Chapter{
		chapter(21, 1, "第一章", rich("<p>港には静かな夜が訪れた。灯台の光がゆっくりと回っている。</p><p>「お茶を淹れましょうか」と彼女は言った。</p>")),
	}})

	// Right to left: Arabic, with a Hebrew chapter. Three books keep
	// epubcheck (one JVM each) within the test budget.
	w = baseWork(3, "ضوء المرفأ", "ar")
	w.Summary = rich(`<p dir="rtl">قصة عن حارسين للمنارة.</p>`)
	w.Notes = archive.Rich{}
	w.EndNotes = archive.Rich{}
	w.ChaptersPosted, w.ChaptersExpected = 3, 3
	fs = append(fs, fixture{"arabic", w, []*archive.Chapter{
		chapter(31, 1, "الوصول", rich(`<p dir="rtl">وصلت السفينة إلى المرفأ في الليل.<a id="uc-c1-ref-1" href="/works/3/chapters/33#uc-c3-note-1">1</a></p><p dir="ltr" lang="en">An English aside, <a href="#uc-c1-ref-1">twice</a>.</p>`)),
		chapter(32, 2, "", rich(`<p>الفصل الثاني 🌙 <a href="/works/3/chapters/31">١</a></p>`)),
		chapter(33, 3, "עברית", rich(`<div dir="RTL" lang="he"><p>הספינה הגיעה לנמל בלילה.</p><table><tr><th scope="col">שם</th></tr><tr><td colspan="1">עדה</td></tr></table></div><p id="uc-c3-note-1">A note. <a href="/works/3/chapters/31#uc-c1-ref-1">Back</a> <span id="uc-c3-note-1">again</span></p>`)),
	}})

	return fs
}
