package archive

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/text"
)

// MaxHTMLBytes bounds the HTML one rich field renders to: markup nested to
// text.MaxNesting and repeated on every line can make a body within
// MaxChapterLength ten times its size.
const MaxHTMLBytes = 4 << 20

var languageRe = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// render sanitizes one rich field and checks its text length.
func render(field, source string, f Format, limit int) (Rich, error) {
	source = text.ValidUTF8(source)
	if f == "" {
		f = FormatHTML
	}
	if f != FormatHTML && f != FormatMarkdown {
		return Rich{}, Invalid(field+"_format", "format must be html or markdown, not %q", string(f))
	}
	if strings.TrimSpace(source) == "" {
		return Rich{Format: f}, nil
	}
	html := text.Render(source, string(f))
	if len(html) > MaxHTMLBytes {
		return Rich{}, Invalid(field, "makes %d bytes of HTML, more than the %d allowed: it is nested or marked up too heavily", len(html), MaxHTMLBytes)
	}
	if limit > 0 {
		if n := text.CountChars(html); n > limit {
			return Rich{}, Invalid(field, "is %d characters long; the limit is %d", n, limit)
		}
	}
	return Rich{Source: source, Format: f, HTML: html}, nil
}

// CleanTitle checks a work or chapter title.
func CleanTitle(field, title string, required bool, limit int) (string, error) {
	t := strings.Join(strings.Fields(text.ValidUTF8(title)), " ")
	if t == "" && required {
		return "", Invalid(field, "can't be blank")
	}
	if n := utf8.RuneCountInString(t); n > limit {
		return "", Invalid(field, "is %d characters long; the limit is %d", n, limit)
	}
	return t, nil
}

// PrepareWork validates a submitted work and renders its rich fields. It
// returns the work and its chapters, ready to store; now is the time that
// "the future" is measured against.
func PrepareWork(in WorkInput, now time.Time) (*Work, []*Chapter, error) {
	w := &Work{Tags: map[TagType][]string{}}
	if err := ApplyWorkInput(w, in, now); err != nil {
		return nil, nil, err
	}
	if len(in.Chapters) == 0 && !in.Draft {
		return nil, nil, Invalid("chapters", "a posted work needs at least one chapter")
	}
	if len(in.Chapters) > MaxChapters {
		return nil, nil, Invalid("chapters", "a work may have at most %d chapters", MaxChapters)
	}
	var chapters []*Chapter
	for i, ci := range in.Chapters {
		c, err := PrepareChapter(ci)
		if err != nil {
			return nil, nil, prefix(fmt.Sprintf("chapters[%d].", i), err)
		}
		c.PostedAt = w.PostedAt
		chapters = append(chapters, c)
	}
	if !in.Draft && len(chapters) > 0 {
		posted := 0
		for _, c := range chapters {
			if !c.Draft {
				posted++
			}
		}
		if posted == 0 {
			return nil, nil, Invalid("chapters", "a posted work needs at least one chapter that is not a draft")
		}
	}
	return w, chapters, nil
}

func prefix(p string, err error) error {
	if v, ok := err.(*ValidationError); ok {
		return &ValidationError{Field: p + v.Field, Message: v.Message, Key: v.Key, Args: v.Args}
	}
	return err
}

// ApplyWorkInput validates in and writes its metadata onto w (used for new
// works and for edits; chapters are not touched).
func ApplyWorkInput(w *Work, in WorkInput, now time.Time) error {
	title, err := CleanTitle("title", in.Title, true, MaxTitleLength)
	if err != nil {
		return err
	}
	w.Title = title
	if w.Summary, err = render("summary", in.Summary, in.SummaryFormat, MaxSummaryLength); err != nil {
		return err
	}
	if w.Notes, err = render("notes", in.Notes, in.NotesFormat, MaxNotesLength); err != nil {
		return err
	}
	if w.EndNotes, err = render("end_notes", in.EndNotes, in.EndNotesFormat, MaxNotesLength); err != nil {
		return err
	}
	tags, err := cleanTags(in)
	if err != nil {
		return err
	}
	w.Tags = tags

	lang := strings.TrimSpace(text.ValidUTF8(in.Language))
	if lang == "" {
		lang = "en"
	}
	if code, ok := ParseLanguage(lang); ok {
		lang = code // a name ("Deutsch", "German") is kept as its code
	} else if !languageRe.MatchString(lang) || len(lang) > 35 {
		return Invalid("language", "we don't know the language %q: give its name (English, Deutsch) or a BCP 47 code (en, pt-BR, zh-Hant)", lang)
	}
	w.Language = lang
	if in.ChaptersExpected < 0 || in.ChaptersExpected > MaxChapters {
		return Invalid("chapters_expected", "must be between 1 and %d, or blank for unknown", MaxChapters)
	}
	w.ChaptersExpected = in.ChaptersExpected
	w.Restricted = in.Restricted
	w.Draft = in.Draft
	// A scheduled work is a draft until the job runner posts it.
	w.PublishAt = in.PublishAt
	if !w.PublishAt.IsZero() {
		w.Draft = true
	}
	switch in.CommentPermission {
	case "":
		if w.CommentPermission == "" {
			w.CommentPermission = CommentsRegistered
		}
	case CommentsEveryone, CommentsRegistered, CommentsNone:
		w.CommentPermission = in.CommentPermission
	default:
		return Invalid("comment_permissions", "must be everyone, registered or none, not %q", in.CommentPermission)
	}
	w.ModeratedComments = in.ModeratedComments
	switch {
	case !in.PostedAt.IsZero():
		if in.PostedAt.After(now.Add(time.Minute)) {
			return Invalid("posted_at", "can't be in the future")
		}
		if in.PostedAt.Year() < 1970 {
			return Invalid("posted_at", "is before 1970")
		}
		w.PostedAt = in.PostedAt.UTC().Truncate(time.Second)
	case w.PostedAt.IsZero():
		w.PostedAt = now.UTC().Truncate(time.Second)
	}
	return nil
}

// cleanTags checks every tag field against the vocabularies and limits.
func cleanTags(in WorkInput) (map[TagType][]string, error) {
	out := map[TagType][]string{}
	rating := strings.TrimSpace(in.Rating)
	if rating == "" {
		return nil, Invalid("rating", "choose a rating")
	}
	if !inVocabulary(Ratings, rating) {
		return nil, Invalid("rating", "%q is not a rating; choose one of %s", rating, strings.Join(Ratings, ", "))
	}
	out[TypeRating] = []string{canonicalSpelling(Ratings, rating)}
	if len(in.Warnings) == 0 {
		return nil, Invalid("warnings", "choose at least one archive warning")
	}
	for _, fixed := range []struct {
		t     TagType
		field string
		names []string
		vocab []string
	}{{TypeWarning, "warnings", in.Warnings, Warnings}, {TypeCategory, "categories", in.Categories, Categories}} {
		seen := map[string]bool{}
		for _, n := range fixed.names {
			n = strings.TrimSpace(n)
			if !inVocabulary(fixed.vocab, n) {
				return nil, Invalid(fixed.field, "%q is not one of %s", n, strings.Join(fixed.vocab, ", "))
			}
			n = canonicalSpelling(fixed.vocab, n)
			if !seen[n] {
				seen[n] = true
				out[fixed.t] = append(out[fixed.t], n)
			}
		}
	}
	free := 0
	for _, f := range []struct {
		t     TagType
		field string
		names []string
	}{{TypeFandom, "fandoms", in.Fandoms}, {TypeRelationship, "relationships", in.Relationships}, {TypeCharacter, "characters", in.Characters}, {TypeFreeform, "freeforms", in.Freeforms}} {
		seen := map[string]bool{}
		for _, raw := range f.names {
			if strings.TrimSpace(raw) == "" {
				continue
			}
			n, err := CleanTagName(text.ValidUTF8(raw))
			if err != nil {
				return nil, Invalid(f.field, "%s", err.Error())
			}
			if k := TagKey(n); !seen[k] {
				seen[k] = true
				out[f.t] = append(out[f.t], n)
				free++
			}
		}
	}
	if len(out[TypeFandom]) == 0 {
		return nil, Invalid("fandoms", "name at least one fandom")
	}
	if free > MaxFreeTags {
		return nil, Invalid("tags", "a work may have at most %d fandom, relationship, character and additional tags together; this one has %d", MaxFreeTags, free)
	}
	return out, nil
}

func inVocabulary(vocab []string, s string) bool {
	return canonicalSpelling(vocab, s) != ""
}

func canonicalSpelling(vocab []string, s string) string {
	for _, v := range vocab {
		if strings.EqualFold(v, s) {
			return v
		}
	}
	return ""
}

// PrepareChapter validates and renders a chapter.
func PrepareChapter(in ChapterInput) (*Chapter, error) {
	c := &Chapter{}
	if err := ApplyChapterInput(c, in); err != nil {
		return nil, err
	}
	return c, nil
}

// ApplyChapterInput validates in and writes it onto c.
func ApplyChapterInput(c *Chapter, in ChapterInput) error {
	title, err := CleanTitle("title", in.Title, false, MaxChapterTitle)
	if err != nil {
		return err
	}
	c.Title = title
	if c.Summary, err = render("summary", in.Summary, in.SummaryFormat, MaxSummaryLength); err != nil {
		return err
	}
	if c.Notes, err = render("notes", in.Notes, in.NotesFormat, MaxNotesLength); err != nil {
		return err
	}
	if c.EndNotes, err = render("end_notes", in.EndNotes, in.EndNotesFormat, MaxNotesLength); err != nil {
		return err
	}
	if strings.TrimSpace(in.Body) == "" {
		return Invalid("body", "can't be blank")
	}
	body := text.ValidUTF8(in.Body)
	if n := utf8.RuneCountInString(body); n > MaxChapterLength {
		return Invalid("body", "is %d characters long; the limit is %d", n, MaxChapterLength)
	}
	if c.Body, err = render("body", body, in.Format, 0); err != nil {
		return err
	}
	if c.Body.IsEmpty() || strings.TrimSpace(text.PlainText(c.Body.HTML)) == "" && !strings.Contains(c.Body.HTML, "<img") {
		return Invalid("body", "has no text once unsafe markup is removed")
	}
	c.Words = text.CountWords(c.Body.HTML)
	c.Draft = in.Draft
	// A scheduled chapter is a draft until the job runner posts it.
	c.PublishAt = in.PublishAt
	if !c.PublishAt.IsZero() {
		c.Draft = true
	}
	return nil
}
