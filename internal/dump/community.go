package dump

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/text"
)

// userLinks checks a user line's muted tags, muted users and blocked users
// and puts them on u; repeats are dropped.
func (im *importer) userLinks(l userLine, u *store.DumpUser) error {
	seen := map[string]bool{}
	for i, r := range l.MutedTags {
		name, err := archive.CleanTagName(r.Name)
		if err != nil {
			return fmt.Errorf("muted_tags[%d]: %v", i, err)
		}
		ref := store.DumpTagRef{Name: name}
		if r.TagType != "" {
			t, ok := archive.ParseTagType(r.TagType)
			if !ok {
				return fmt.Errorf("muted_tags[%d]: tag_type %q is not one of rating, warning, category, fandom, relationship, character, freeform", i, r.TagType)
			}
			ref.Type = t
		}
		if k := string(ref.Type) + "\x00" + archive.TagKey(name); !seen[k] {
			seen[k] = true
			u.MutedTags = append(u.MutedTags, ref)
		}
	}
	if len(u.MutedTags) > archive.MaxMutes {
		return fmt.Errorf("muted_tags: a reader may mute at most %d tags, not %d", archive.MaxMutes, len(u.MutedTags))
	}
	for _, f := range []struct {
		field string
		in    []string
		out   *[]string
	}{{"muted_users", l.MutedUsers, &u.MutedUsers}, {"blocked_users", l.BlockedUsers, &u.BlockedUsers}} {
		seen := map[string]bool{}
		for i, n := range f.in {
			n = strings.TrimSpace(n)
			if n == "" {
				return fmt.Errorf("%s[%d]: the name can't be blank", f.field, i)
			}
			if strings.EqualFold(n, u.User.Name) {
				return fmt.Errorf("%s[%d]: %q can't name themselves", f.field, i, n)
			}
			if k := strings.ToLower(n); !seen[k] {
				seen[k] = true
				*f.out = append(*f.out, n)
			}
		}
	}
	if len(u.MutedUsers) > archive.MaxMutes {
		return fmt.Errorf("muted_users: a reader may mute at most %d users, not %d", archive.MaxMutes, len(u.MutedUsers))
	}
	return nil
}

// richFormat checks a comment's or bookmark's format ("" is html).
func richFormat(field, f string) (archive.Format, error) {
	switch archive.Format(f) {
	case "", archive.FormatHTML:
		return archive.FormatHTML, nil
	case archive.FormatMarkdown:
		return archive.FormatMarkdown, nil
	}
	return "", fmt.Errorf("%s: must be html or markdown, not %q", field, f)
}

// commentBody re-renders a comment's text from its source (or, without
// one, its HTML) through archive.PrepareCommentBody, as a posted comment
// is: the same rules and limits, whatever path the comment takes.
func commentBody(src, f, html string) (archive.Rich, error) {
	s, format := source(src, f, html)
	if strings.TrimSpace(s) == "" {
		return archive.Rich{}, errors.New("body: can't be blank (only a deleted comment's is)")
	}
	return archive.PrepareCommentBody(s, string(format))
}

// render re-renders a rich field from its source (or, without one, its
// HTML) as the site does; limit caps its characters.
func render(field, src, f, html string, limit int) (archive.Rich, error) {
	src, format := source(src, f, html)
	ff, err := richFormat(field+"_format", string(format))
	if err != nil {
		return archive.Rich{}, err
	}
	src = text.ValidUTF8(src)
	if strings.TrimSpace(src) == "" {
		return archive.Rich{Format: ff}, nil
	}
	out := text.Render(src, string(ff))
	if n := text.CountChars(out); n > limit {
		return archive.Rich{}, fmt.Errorf("%s: is %d characters long; the limit is %d", field, n, limit)
	}
	return archive.Rich{Source: src, Format: ff, HTML: out}, nil
}

// createdAt reads a record's creation time: required, not in the future.
func (im *importer) createdAt(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, errors.New("created_at: required")
	}
	return im.parseTime("created_at", s, true)
}

func (im *importer) comment(l commentLine) (*store.DumpComment, error) {
	if l.ID <= 0 {
		return nil, errors.New("a comment needs a positive id")
	}
	if first, ok := im.comments[l.ID]; ok {
		return nil, fmt.Errorf("comment %d appears twice in the file (first on line %d)", l.ID, first)
	}
	im.comments[l.ID] = im.line
	fail := func(format string, args ...any) (*store.DumpComment, error) {
		return nil, fmt.Errorf("comment %d: %s", l.ID, fmt.Sprintf(format, args...))
	}
	if l.ChapterID <= 0 {
		return fail("chapter_id: a comment needs the id of its chapter")
	}
	if l.WorkID < 0 {
		return fail("work_id: can't be negative")
	}
	c := archive.Comment{ID: l.ID, WorkID: l.WorkID, ChapterID: l.ChapterID, Approved: true, Frozen: l.Frozen, Deleted: l.Deleted, Hidden: l.Hidden}
	if l.ParentID != nil {
		if *l.ParentID <= 0 {
			return fail("parent_id: a positive id, or null for a top-level comment")
		}
		if *l.ParentID >= l.ID {
			return fail("parent_id: a reply's id must be greater than its parent's (%d ≥ %d)", *l.ParentID, l.ID)
		}
		c.ParentID = *l.ParentID
	}
	if l.Approved != nil {
		c.Approved = *l.Approved
	}
	if l.User != nil {
		c.UserName = strings.TrimSpace(*l.User)
	}
	if l.Pseud != nil {
		c.Pseud = strings.TrimSpace(*l.Pseud)
	}
	c.GuestName, c.GuestEmail = strings.TrimSpace(text.ValidUTF8(l.Name)), strings.TrimSpace(text.ValidUTF8(l.Email))
	if (c.UserName != "" || c.Pseud != "") && (c.GuestName != "" || c.GuestEmail != "") {
		return fail(`a comment is by a user ("user", "pseud") or by a guest ("name", "email"), not both`)
	}
	if c.Pseud != "" && c.UserName == "" {
		return fail(`pseud: names a pseud of "user", which is missing`)
	}
	if n := utf8.RuneCountInString(c.GuestName); n > archive.MaxGuestName {
		return fail("name: is %d characters long; the limit is %d", n, archive.MaxGuestName)
	}
	if c.GuestEmail != "" {
		if _, err := archive.CleanEmail(c.GuestEmail); err != nil {
			return fail("email: %v", err)
		}
	}
	var err error
	if c.Deleted && strings.TrimSpace(l.BodySource) == "" && strings.TrimSpace(l.Body) == "" {
		// A deleted comment kept as the placeholder of its replies.
		f, err := richFormat("body_format", l.BodyFormat)
		if err != nil {
			return fail("%v", err)
		}
		c.Body = archive.Rich{Format: f}
	} else {
		if c.Body, err = commentBody(l.BodySource, l.BodyFormat, l.Body); err != nil {
			return fail("%v", err)
		}
		if c.Body.HTML == "" || strings.TrimSpace(text.PlainText(c.Body.HTML)) == "" {
			return fail("body: can't be blank (only a deleted comment's is)")
		}
	}
	if c.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail("%v", err)
	}
	if l.EditedAt != nil {
		if c.EditedAt, err = im.parseTime("edited_at", *l.EditedAt, true); err != nil {
			return fail("%v", err)
		}
	}
	return &store.DumpComment{Comment: c}, nil
}

func (im *importer) kudos(l kudosLine) (*store.DumpKudos, error) {
	if l.WorkID <= 0 {
		return nil, errors.New("kudos: work_id: a kudos needs the id of its work")
	}
	k := &store.DumpKudos{WorkID: l.WorkID}
	if l.User != nil {
		k.User = strings.TrimSpace(*l.User)
	}
	var err error
	if k.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("kudos on work %d: %v", l.WorkID, err)
	}
	return k, nil
}

func (im *importer) bookmark(l bookmarkLine) (*store.DumpBookmark, error) {
	if l.ID <= 0 {
		return nil, errors.New("a bookmark needs a positive id")
	}
	if first, ok := im.bookmarks[l.ID]; ok {
		return nil, fmt.Errorf("bookmark %d appears twice in the file (first on line %d)", l.ID, first)
	}
	im.bookmarks[l.ID] = im.line
	fail := func(format string, args ...any) (*store.DumpBookmark, error) {
		return nil, fmt.Errorf("bookmark %d: %s", l.ID, fmt.Sprintf(format, args...))
	}
	b := archive.Bookmark{ID: l.ID, UserName: strings.TrimSpace(l.User), WorkTitle: strings.TrimSpace(text.ValidUTF8(l.WorkTitle)), Rec: l.Rec, Private: l.Private, Tags: []string{}}
	if b.UserName == "" {
		return fail("user: a bookmark needs the name of its owner")
	}
	switch l.Kind {
	case "", "work":
		if l.SeriesID != nil || l.SeriesTitle != "" {
			return fail(`series_id, series_title: only a bookmark of a series ("kind":"series") has them`)
		}
		if l.WorkID != nil {
			if *l.WorkID <= 0 {
				return fail("work_id: a positive id, or null for a deleted work")
			}
			b.WorkID = *l.WorkID
		} else if b.WorkTitle == "" {
			return fail("work_title: a bookmark of a deleted work needs its title")
		}
	case "series":
		if l.WorkID != nil || l.WorkTitle != "" {
			return fail("work_id, work_title: a bookmark of a series has series_id and series_title instead")
		}
		b.OfSeries = true
		b.SeriesTitle = strings.TrimSpace(text.ValidUTF8(l.SeriesTitle))
		if l.SeriesID != nil {
			if *l.SeriesID <= 0 {
				return fail("series_id: a positive id, or null for a deleted series")
			}
			b.SeriesID = *l.SeriesID
		} else if b.SeriesTitle == "" {
			return fail("series_title: a bookmark of a deleted series needs its title")
		}
	default:
		return fail("kind: %q is not work or series", l.Kind)
	}
	var err error
	if b.Notes, err = archive.PrepareBookmarkNotes(source(l.NotesSource, l.NotesFormat, l.Notes)); err != nil {
		return fail("%v", err)
	}
	seen := map[string]bool{}
	for i, raw := range l.Tags {
		name, err := archive.CleanTagName(text.ValidUTF8(raw))
		if err != nil {
			return fail("tags[%d]: %v", i, err)
		}
		if k := archive.TagKey(name); !seen[k] {
			seen[k] = true
			b.Tags = append(b.Tags, name)
		}
	}
	if len(b.Tags) > archive.MaxBookmarkTags {
		return fail("tags: a bookmark may have at most %d tags; this one has %d", archive.MaxBookmarkTags, len(b.Tags))
	}
	if b.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail("%v", err)
	}
	if b.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail("%v", err)
	}
	if b.UpdatedAt.IsZero() {
		b.UpdatedAt = b.CreatedAt
	}
	return &store.DumpBookmark{Bookmark: b}, nil
}
