package formats

import (
	"io"

	"quire/internal/archive"
)

// HTMLDocument writes the work as one self-contained HTML file: the same
// preface, chapters and afterword as the EPUB, a small embedded
// stylesheet, no scripts and nothing loaded from elsewhere (remote images
// become their alt text with a link).
func HTMLDocument(out io.Writer, work *archive.Work, chapters []*archive.Chapter, site SiteInfo) error {
	return htmlDocument(out, work, chapters, site, "")
}

// PrintDocument is the HTML download laid out for print on paper ("a4"
// or "letter"): every chapter on a new page, the text in a serif type
// that covers the work's scripts. A PDF printer turns it into pages.
func PrintDocument(out io.Writer, work *archive.Work, chapters []*archive.Chapter, site SiteInfo, paper string) error {
	size := "A4"
	if paper == "letter" {
		size = "letter"
	}
	return htmlDocument(out, work, chapters, site, "@page { size: "+size+"; margin: 20mm 18mm 22mm; }\n"+printCSS)
}

func htmlDocument(out io.Writer, work *archive.Work, chapters []*archive.Chapter, site SiteInfo, print string) error {
	bk := newBook(work, chapters, site)
	w := bk.writer(false)
	w.raw("<!DOCTYPE html>\n<html")
	w.attr("lang", bk.lang.Code)
	if bk.lang.RTL {
		w.attr("dir", "rtl")
	}
	w.raw(">\n<head>\n<meta charset=\"utf-8\"/>\n")
	w.raw(`<meta name="viewport" content="width=device-width, initial-scale=1"/>` + "\n")
	w.raw(`<meta name="generator"`)
	w.attr("content", bk.siteName())
	w.raw("/>\n")
	w.tag("title", "", title(work))
	w.raw("\n<style>\n" + htmlCSS + print + "</style>\n</head>\n<body>\n")
	bk.preface(w)
	if len(bk.chapters) > 1 {
		w.raw(`<nav class="toc" aria-label="Chapters"><ol>` + "\n")
		for i, c := range bk.chapters {
			w.raw(`<li><a href="#chapter-` + itoa(i+1) + `">`)
			w.text(chapterHeading(i+1, c))
			w.raw("</a></li>\n")
		}
		w.raw("</ol></nav>\n")
	}
	w.raw(`<div id="chapters" class="userstuff">` + "\n")
	for i, c := range bk.chapters {
		bk.chapter(w, i+1, c)
	}
	w.raw("</div>\n")
	bk.afterword(w)
	w.raw("</body>\n</html>\n")
	_, err := io.WriteString(out, w.b.String())
	return err
}

const htmlCSS = `body { max-width: 40em; margin: 1em auto; padding: 0 1em; font-family: Georgia, serif; line-height: 1.5; color: #222; background: #fff; }
h1, h2 { text-align: center; line-height: 1.2; }
.message { font-size: 0.9em; font-style: italic; }
dl.tags { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1em; }
dl.tags dt { font-weight: bold; }
dl.tags dd { margin: 0; }
.byline { text-align: center; }
p.label { font-weight: bold; margin-bottom: 0; }
blockquote { margin: 0.5em 1.5em; }
.chapter { margin-top: 3em; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-left { text-align: left; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
table { border-collapse: collapse; }
th, td { border: 1px solid #888; padding: 0.2em 0.4em; }
pre { white-space: pre-wrap; }
@media (prefers-color-scheme: dark) { body { color: #ddd; background: #111; } a { color: #8cf; } }
`

// printCSS follows htmlCSS in the print layout.
const printCSS = `body { max-width: none; margin: 0; padding: 0; font-family: "Noto Serif", "DejaVu Serif", serif; font-size: 11pt; line-height: 1.45; color: #000; background: #fff; }
a { color: inherit; }
.chapter { margin-top: 0; break-before: page; }
#afterword { break-before: page; }
nav.toc { break-after: page; }
h1, h2 { break-after: avoid; }
p { orphans: 2; widows: 2; }
`
