package archive

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func validInput() WorkInput {
	return WorkInput{Title: "A Quiet Harbor", Rating: RatingGeneral, Warnings: []string{WarningNone}, Fandoms: []string{"Lantern Tales"},
		Chapters: []ChapterInput{{Body: "Some words."}}}
}

func TestPrepareWorkLimits(t *testing.T) {
	tags := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, "tag "+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)))
		}
		return out
	}
	tests := []struct {
		name  string
		edit  func(*WorkInput)
		field string // "" = valid
	}{
		{"valid", func(*WorkInput) {}, ""},
		{"title 255", func(w *WorkInput) { w.Title = strings.Repeat("é", 255) }, ""},
		{"title 256", func(w *WorkInput) { w.Title = strings.Repeat("é", 256) }, "title"},
		{"blank title", func(w *WorkInput) { w.Title = "  \t " }, "title"},
		{"summary 1250", func(w *WorkInput) { w.Summary = strings.Repeat("a", 1250) }, ""},
		{"summary 1251", func(w *WorkInput) { w.Summary = strings.Repeat("a", 1251) }, "summary"},
		{"summary markup does not count", func(w *WorkInput) { w.Summary = "<p><em>" + strings.Repeat("a", 1200) + "</em></p>" }, ""},
		{"notes 5001", func(w *WorkInput) { w.Notes = strings.Repeat("b", 5001) }, "notes"},
		{"end notes 5001", func(w *WorkInput) { w.EndNotes = strings.Repeat("b", 5001) }, "end_notes"},
		{"no rating", func(w *WorkInput) { w.Rating = "" }, "rating"},
		{"unknown rating", func(w *WorkInput) { w.Rating = "PG-13" }, "rating"},
		{"rating any case", func(w *WorkInput) { w.Rating = "explicit" }, ""},
		{"no warning", func(w *WorkInput) { w.Warnings = nil }, "warnings"},
		{"unknown warning", func(w *WorkInput) { w.Warnings = []string{"Spiders"} }, "warnings"},
		{"unknown category", func(w *WorkInput) { w.Categories = []string{"X/Y"} }, "categories"},
		{"no fandom", func(w *WorkInput) { w.Fandoms = []string{" ", ""} }, "fandoms"},
		{"tag 100", func(w *WorkInput) { w.Freeforms = []string{strings.Repeat("t", 100)} }, ""},
		{"tag 101", func(w *WorkInput) { w.Freeforms = []string{strings.Repeat("t", 101)} }, "freeforms"},
		{"tag with comma-like", func(w *WorkInput) { w.Characters = []string{"A，B"} }, "characters"},
		{"tag with star", func(w *WorkInput) { w.Relationships = []string{"A*B"} }, "relationships"},
		{"tag with percent", func(w *WorkInput) { w.Fandoms = []string{"100%"} }, "fandoms"},
		{"tag with backslash", func(w *WorkInput) { w.Fandoms = []string{`a\b`} }, "fandoms"},
		{"tag with control", func(w *WorkInput) { w.Fandoms = []string{"a\x01b"} }, "fandoms"},
		{"75 free tags", func(w *WorkInput) { w.Freeforms = tags(74) }, ""},
		{"76 free tags", func(w *WorkInput) { w.Freeforms = tags(75) }, "tags"},
		{"duplicate tags count once", func(w *WorkInput) { w.Freeforms = append(tags(74), "TAG A"+"a", "tag aa") }, ""},
		{"bad language", func(w *WorkInput) { w.Language = "english!" }, "language"},
		{"language code", func(w *WorkInput) { w.Language = "pt-BR" }, ""},
		{"future", func(w *WorkInput) { w.PostedAt = now.Add(24 * time.Hour) }, "posted_at"},
		{"backdated", func(w *WorkInput) { w.PostedAt = now.AddDate(-3, 0, 0) }, ""},
		{"expected negative", func(w *WorkInput) { w.ChaptersExpected = -1 }, "chapters_expected"},
		{"comment permission", func(w *WorkInput) { w.CommentPermission = "friends" }, "comment_permissions"},
		{"posted without chapters", func(w *WorkInput) { w.Chapters = nil }, "chapters"},
		{"draft without chapters", func(w *WorkInput) { w.Chapters = nil; w.Draft = true }, ""},
		{"only draft chapters", func(w *WorkInput) { w.Chapters[0].Draft = true }, "chapters"},
		{"501 chapters", func(w *WorkInput) {
			w.Chapters = make([]ChapterInput, MaxChapters+1)
			for i := range w.Chapters {
				w.Chapters[i].Body = "x"
			}
		}, "chapters"},
		{"blank body", func(w *WorkInput) { w.Chapters[0].Body = "   " }, "chapters[0].body"},
		{"body only script", func(w *WorkInput) { w.Chapters[0].Body = "<script>alert(1)</script>" }, "chapters[0].body"},
		{"body 510000", func(w *WorkInput) { w.Chapters[0].Body = strings.Repeat("a", MaxChapterLength) }, ""},
		{"body 510001", func(w *WorkInput) { w.Chapters[0].Body = strings.Repeat("a", MaxChapterLength+1) }, "chapters[0].body"},
		{"bad format", func(w *WorkInput) { w.Chapters[0].Format = "rtf" }, "chapters[0].body_format"},
		{"chapter title 256", func(w *WorkInput) { w.Chapters[0].Title = strings.Repeat("c", 256) }, "chapters[0].title"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.edit(&in)
			_, _, err := PrepareWork(in, now)
			var ve *ValidationError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused a valid work: %v", err)
			case tc.field != "" && !errors.As(err, &ve):
				t.Fatalf("accepted (or failed oddly: %v); want a validation error on %s", err, tc.field)
			case tc.field != "" && ve.Field != tc.field:
				t.Fatalf("error on %q (%v), want %q", ve.Field, err, tc.field)
			}
		})
	}
}

func TestPrepareWorkRenders(t *testing.T) {
	in := validInput()
	in.Title = "  Two   spaces "
	in.Rating = "teen and up audiences"
	in.Freeforms = []string{"Fluff", "fluff", "Café"}
	in.Chapters = []ChapterInput{{Body: "It *was* quiet.\n\n> an epigraph", Format: FormatMarkdown}, {Body: "日本語のテキスト"}}
	w, cs, err := PrepareWork(in, now)
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != "Two spaces" || w.Rating() != RatingTeen || len(w.Tags[TypeFreeform]) != 2 || w.Language != "en" {
		t.Fatalf("work = %q %q %v %q", w.Title, w.Rating(), w.Tags[TypeFreeform], w.Language)
	}
	if !strings.Contains(cs[0].Body.HTML, "<em>was</em>") || cs[0].Body.Source != in.Chapters[0].Body || cs[0].Body.Format != FormatMarkdown {
		t.Fatalf("chapter 1 = %+v", cs[0].Body)
	}
	if cs[0].Words != 5 || cs[1].Words != 8 {
		t.Fatalf("words = %d, %d; want 5 and 8 (CJK counted per character)", cs[0].Words, cs[1].Words)
	}
	if w.CommentPermission != CommentsRegistered || !w.PostedAt.Equal(now) {
		t.Fatalf("defaults: %q %v", w.CommentPermission, w.PostedAt)
	}
}

func TestAccountRules(t *testing.T) {
	for _, n := range []string{"alice", "A_1", strings.Repeat("a", 40)} {
		if _, err := CleanUserName(n); err != nil {
			t.Errorf("name %q refused: %v", n, err)
		}
	}
	for _, n := range []string{"", "_x", "a b", "ä", strings.Repeat("a", 41), "a/b"} {
		if _, err := CleanUserName(n); err == nil {
			t.Errorf("name %q accepted", n)
		}
	}
	for _, e := range []string{"a@example.com", "x.y+z@sub.example.org"} {
		if _, err := CleanEmail(e); err != nil {
			t.Errorf("e-mail %q refused: %v", e, err)
		}
	}
	for _, e := range []string{"", "a", "a@", "Name <a@b.c>", "a@b", "a@b.c\nBcc: x@y.z"} {
		if _, err := CleanEmail(e); err == nil {
			t.Errorf("e-mail %q accepted", e)
		}
	}
	if err := CheckNewPassword("short", "short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if err := CheckNewPassword("long enough", "long enougH"); err == nil {
		t.Error("a mismatched confirmation was accepted")
	}
	h, err := HashPassword("correct horse")
	if err != nil || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q %v", h, err)
	}
	if !CheckPassword(h, "correct horse") || CheckPassword(h, "correct horsE") || CheckPassword("garbage", "x") {
		t.Fatal("CheckPassword is wrong")
	}
}

func TestTagNamesAndURLs(t *testing.T) {
	if TagKey("Café") != TagKey("CAFE\u0301") {
		t.Fatal("TagKey must fold case and normalise to NFC")
	}
	for _, name := range []string{"Alternate Universe - Coffee Shops & Cafés", "Jem/Pim", "Dr. Who?", "#1 Fan", "a*b"} {
		if got := UnescapeTagURL(EscapeTagURL(name)); got != name && !strings.Contains(name, "*") {
			t.Fatalf("URL round trip of %q gave %q", name, got)
		}
	}
	if EscapeTagURL("Jem/Pim & co.") != "Jem*s*Pim *a* co*d*" {
		t.Fatalf("escape = %q", EscapeTagURL("Jem/Pim & co."))
	}
	for title, key := range map[string]string{"The Long Way": "long way", "An Apple": "apple", "A": "a", "Then What": "then what", "the": "the"} {
		if got := TitleSortKey(title); got != key {
			t.Errorf("TitleSortKey(%q) = %q, want %q", title, got, key)
		}
	}
}

// A body within the length limit but nested as deep as it can go: one
// that only nests is kept, flattened past the depth limit; one that
// repeats deep nesting on every line, making more HTML than MaxHTMLBytes,
// is refused with a message rather than stored at ten times its size.
func TestHostileNestedBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("renders half-megabyte bodies")
	}
	deep := strings.Repeat("> ", 250_000) + "the end"
	c, err := PrepareChapter(ChapterInput{Body: deep, Format: FormatMarkdown})
	if err != nil {
		t.Fatalf("a deeply nested body was refused: %v", err)
	}
	if n := strings.Count(c.Body.HTML, "<blockquote>"); n != 32 || !strings.Contains(c.Body.HTML, "the end") {
		t.Errorf("%d block quotes kept (want 32), %d bytes of HTML", n, len(c.Body.HTML))
	}

	wide := strings.Repeat(strings.Repeat("> ", 32)+"x\n\n", 500_000/67)
	_, err = PrepareChapter(ChapterInput{Body: wide, Format: FormatMarkdown})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "body" || !strings.Contains(err.Error(), "bytes of HTML") {
		t.Fatalf("a body that renders to more than %d bytes: %v", MaxHTMLBytes, err)
	}
}
