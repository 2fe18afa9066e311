package importer

import (
	"regexp"
	"strings"

	"quire/internal/archive"
	"quire/internal/text"
)

// A Markdown file is one work kept as Markdown (the source stays what the
// creator wrote). An optional front matter block between "---" lines takes
// the same keys as a plain-text header (Title, Author, Fandom, Rating, …).
// Chapters start at headings of one level, chosen as for HTML: "##" when
// there is a single "#" heading (the title), else "#" when there are
// several, else "##"; headings inside fenced code are text. What comes
// before the first chapter heading becomes the work's notes.

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	fenceLine  = regexp.MustCompile("^ {0,3}(```|~~~)")
	setextH1   = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	setextH2   = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
)

type mdLine struct {
	text    string
	heading int // 0 = not a heading; 1, 2 … the level
	title   string
}

func parseMarkdown(data []byte) (*Work, error) {
	decoded, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	src := strings.ReplaceAll(strings.ReplaceAll(decoded, "\r\n", "\n"), "\r", "\n")
	src = strings.TrimPrefix(src, "\uFEFF")
	w := &Work{Format: archive.FormatMarkdown}
	if strings.HasPrefix(src, "---\n") {
		if end := strings.Index(src[4:], "\n---"); end >= 0 {
			front := src[4 : 4+end]
			rest := src[4+end+4:]
			if i := strings.IndexByte(rest, '\n'); i >= 0 {
				rest = rest[i+1:]
			} else {
				rest = ""
			}
			if h, ok := parseHeader(strings.Split(front, "\n")); ok {
				h.apply(w, archive.FormatMarkdown)
				src = rest
			}
		}
	}
	raw := strings.Split(src, "\n")
	lines := make([]mdLine, 0, len(raw))
	inFence := ""
	for i, l := range raw {
		ml := mdLine{text: l}
		if m := fenceLine.FindStringSubmatch(l); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case inFence == m[1]:
				inFence = ""
			}
		} else if inFence == "" {
			if m := atxHeading.FindStringSubmatch(l); m != nil {
				ml.heading, ml.title = len(m[1]), strings.TrimSpace(m[2])
			} else if i > 0 && strings.TrimSpace(raw[i-1]) != "" && lines[i-1].heading == 0 && (setextH1.MatchString(l) || setextH2.MatchString(l) && strings.Count(l, "-") >= 3) {
				// A setext underline makes the line above a heading.
				level := 1
				if strings.Contains(l, "-") {
					level = 2
				}
				lines[i-1].heading, lines[i-1].title = level, strings.TrimSpace(raw[i-1])
				ml.heading, ml.title = -1, "" // the underline itself is dropped
			}
		}
		lines = append(lines, ml)
	}
	count := map[int]int{}
	for _, l := range lines {
		if l.heading > 0 {
			count[l.heading]++
		}
	}
	split := 0
	titleLine := -1
	switch {
	case count[1] == 1:
		for i, l := range lines {
			if l.heading == 1 {
				titleLine = i
				break
			}
		}
		if count[2] > 0 {
			split = 2
		}
	case count[1] > 1:
		split = 1
	case count[2] > 0:
		split = 2
	}
	if titleLine >= 0 {
		if w.Title == "" {
			w.Title = lines[titleLine].title
		}
		lines[titleLine].heading, lines[titleLine].text = -1, ""
		if titleLine+1 < len(lines) && lines[titleLine+1].heading == -1 {
			lines[titleLine+1].text = ""
		}
	}
	var (
		buf     strings.Builder
		started = split == 0
		title   string
		lead    string
	)
	flush := func() {
		body := strings.Trim(buf.String(), "\n")
		buf.Reset()
		if strings.TrimSpace(body) == "" {
			return
		}
		if !started {
			lead = body
			return
		}
		w.Chapters = append(w.Chapters, Chapter{Title: title, Body: body})
	}
	for i, l := range lines {
		if l.heading == split && split > 0 {
			flush()
			started, title = true, chapterTitle(l.title)
			continue
		}
		if l.heading == -1 {
			continue
		}
		// A setext heading's text line is followed by its dropped underline.
		if l.heading > 0 && i+1 < len(lines) && lines[i+1].heading == -1 && !atxHeading.MatchString(l.text) {
			buf.WriteString(strings.Repeat("#", l.heading) + " " + l.title + "\n")
			continue
		}
		buf.WriteString(l.text)
		buf.WriteByte('\n')
	}
	flush()
	if lead != "" {
		if text.CountChars(text.Render(lead, text.FormatMarkdown)) <= archive.MaxNotesLength && w.Notes == "" {
			w.Notes = lead
		} else {
			w.Chapters = append([]Chapter{{Body: lead}}, w.Chapters...)
		}
	}
	return w, nil
}
