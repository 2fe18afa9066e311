package archive

import (
	"strings"
	"unicode/utf8"

	"quire/internal/text"
)

// What readers leave on works — comments, bookmarks, mutes — is prepared
// here, once, for every path that writes it: the pages and the API through
// site, the logical import, the eFiction importer.

// Limits on comments, bookmarks and mutes.
const (
	// MaxCommentChars is AO3's limit on a comment's text.
	MaxCommentChars = 10_000
	// MaxGuestName bounds a guest's name.
	MaxGuestName = 100
	// MaxBookmarkNotes and MaxBookmarkTags bound a bookmark as a work's
	// notes and additional tags are bounded.
	MaxBookmarkNotes = MaxNotesLength
	MaxBookmarkTags  = MaxFreeTags
	// MaxMutes bounds how many tags, and how many users, one reader may mute.
	MaxMutes = 1000
)

// CommentInput is a new or edited comment.
type CommentInput struct {
	ParentID int64
	Body     string
	Format   string // html (default) or markdown
	Name     string // guests
	Email    string // guests
}

// PrepareComment renders in's text onto c and, for a guest's comment,
// checks and sets the guest's name and e-mail address.
func PrepareComment(c *Comment, in CommentInput, guest bool) error {
	if guest {
		name, err := CleanGuestName(in.Name)
		if err != nil {
			return err
		}
		email, err := CleanEmail(in.Email)
		if err != nil {
			return err
		}
		c.GuestName, c.GuestEmail = name, email
	}
	body, err := PrepareCommentBody(in.Body, in.Format)
	if err != nil {
		return err
	}
	c.Body = body
	return nil
}

// CleanGuestName collapses a guest's name's spaces and checks it is given
// and at most MaxGuestName characters.
func CleanGuestName(raw string) (string, error) {
	name := strings.Join(strings.Fields(text.ValidUTF8(raw)), " ")
	if name == "" {
		return "", Invalid("name", "can't be blank; guests give a name and an e-mail address")
	}
	if utf8.RuneCountInString(name) > MaxGuestName {
		return "", Invalid("name", "is longer than %d characters", MaxGuestName)
	}
	return name, nil
}

// PrepareCommentBody renders a comment's text (html, the default, or
// markdown) and checks it is not blank and within MaxCommentChars.
func PrepareCommentBody(body, format string) (Rich, error) {
	f := Format(format)
	if f == "" {
		f = FormatHTML
	}
	if f != FormatHTML && f != FormatMarkdown {
		return Rich{}, Invalid("format", "must be html or markdown, not %q", format)
	}
	src := text.ValidUTF8(body)
	if strings.TrimSpace(src) == "" {
		return Rich{}, Invalid("body", "can't be blank")
	}
	html := text.Render(src, string(f))
	n := text.CountChars(html)
	if n == 0 || strings.TrimSpace(text.PlainText(html)) == "" {
		return Rich{}, Invalid("body", "can't be blank")
	}
	if n > MaxCommentChars {
		return Rich{}, Invalid("body", "is %d characters long; the limit is %d", n, MaxCommentChars)
	}
	return Rich{Source: src, Format: f, HTML: html}, nil
}

// BookmarkInput is a bookmark as a reader submits it.
type BookmarkInput struct {
	WorkID      int64
	SeriesID    int64
	Notes       string
	NotesFormat Format
	Tags        []string
	Rec         bool
	Private     bool
}

// BookmarkInputOf is b's current content, for a partial update.
func BookmarkInputOf(b *Bookmark) BookmarkInput {
	return BookmarkInput{WorkID: b.WorkID, SeriesID: b.SeriesID, Notes: b.Notes.Source, NotesFormat: b.Notes.Format,
		Tags: append([]string(nil), b.Tags...), Rec: b.Rec, Private: b.Private}
}

// PrepareBookmark renders in's notes and cleans its tags onto b.
func PrepareBookmark(b *Bookmark, in BookmarkInput) error {
	notes, err := PrepareBookmarkNotes(in.Notes, in.NotesFormat)
	if err != nil {
		return err
	}
	tags, err := CleanBookmarkTags(in.Tags)
	if err != nil {
		return err
	}
	b.Notes, b.Tags, b.Rec, b.Private = notes, tags, in.Rec, in.Private
	return nil
}

// PrepareBookmarkNotes renders a bookmark's notes and checks their length.
func PrepareBookmarkNotes(source string, f Format) (Rich, error) {
	source = text.ValidUTF8(source)
	if f == "" {
		f = FormatHTML
	}
	if f != FormatHTML && f != FormatMarkdown {
		return Rich{}, Invalid("notes_format", "must be html or markdown, not %q", string(f))
	}
	if strings.TrimSpace(source) == "" {
		return Rich{Format: f}, nil
	}
	html := text.Render(source, string(f))
	if n := text.CountChars(html); n > MaxBookmarkNotes {
		return Rich{}, Invalid("notes", "is %d characters long; the limit is %d", n, MaxBookmarkNotes)
	}
	return Rich{Source: source, Format: f, HTML: html}, nil
}

// CleanBookmarkTags checks the bookmarker's tags like tag names and drops
// repeats; they are the reader's own and never join the vocabulary.
func CleanBookmarkTags(in []string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, raw := range in {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		name, err := CleanTagName(text.ValidUTF8(raw))
		if err != nil {
			return nil, Invalid("tags", "%s", err.Error())
		}
		if k := TagKey(name); !seen[k] {
			seen[k] = true
			out = append(out, name)
		}
	}
	if len(out) > MaxBookmarkTags {
		return nil, Invalid("tags", "a bookmark may have at most %d tags; this one has %d", MaxBookmarkTags, len(out))
	}
	return out, nil
}

// PrepareBio checks and renders a profile's bio (rich text, at most
// MaxBioLength characters once sanitized, as AO3 counts).
func PrepareBio(source string, f Format) (Rich, error) {
	return render("bio", source, f, MaxBioLength)
}
