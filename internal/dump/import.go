package dump

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/archive"
	"quire/internal/store"
)

// DefaultMaxLine caps one line of an import (a whole work with every chapter).
const DefaultMaxLine = 1 << 30

// ImportOptions tunes an import.
type ImportOptions struct {
	// DryRun validates and writes inside the transaction, then rolls it back.
	DryRun bool
	// Now is what "in the future" is measured against (default time.Now).
	Now func() time.Time
	// Progress, when set, gets a running count; Name labels it.
	Progress io.Writer
	Name     string
	// MaxLine caps one line in bytes (default DefaultMaxLine).
	MaxLine int
}

// LineError is why a file was not imported: the first line that breaks a rule.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Import reads one dump (our own export) from r into st in one transaction:
// every line lands, or none does and the error names the first bad line.
// Works keep their ids, chapters theirs, and every timestamp is kept; each
// work goes through the same validation as a posted one (its rich fields
// re-rendered from their source). An id the archive already has is refused.
func Import(ctx context.Context, st store.Dumps, r io.Reader, opts ImportOptions) (Stats, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	var stats Stats
	im := &importer{opts: opts, now: opts.Now(), works: map[int64]int{}, chapters: map[int64]int{}, comments: map[int64]int{}, bookmarks: map[int64]int{}, reports: map[int64]int{},
		seriesIDs: map[int64]int{}, seriesPut: map[[2]int64]int{}}
	br := bufio.NewReaderSize(r, 1<<16)
	start := time.Now()
	last := time.Time{}
	progress := func(final bool) {
		if opts.Progress == nil || (!final && time.Since(last) < 200*time.Millisecond) {
			return
		}
		last = time.Now()
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(opts.Progress, "\rimport %s: line %d, %d works %.1fs%s", opts.Name, im.line, stats.Works, time.Since(start).Seconds(), end)
	}
	err := st.ImportDump(ctx, opts.DryRun, func(w store.DumpWriter) error {
		stats = Stats{}
		im.links = nil
		im.workSeries = nil
		for {
			raw, err := readLine(br, opts.MaxLine)
			if len(raw) == 0 && err == io.EOF {
				// Mutes and blocks name users that may come later in the file.
				for _, l := range im.links {
					if err := w.PutUserLinks(ctx, l.user); err != nil {
						return &LineError{l.line, err}
					}
				}
				return im.checkWorkSeries()
			}
			im.line++
			if err != nil && err != io.EOF {
				return &LineError{im.line, err}
			}
			if len(bytes.TrimSpace(raw)) > 0 {
				kind, err := im.put(ctx, w, raw)
				if err != nil {
					return &LineError{im.line, err}
				}
				switch kind {
				case "tag":
					stats.Tags++
				case "user":
					stats.Users++
				case "work":
					stats.Works++
				case "comment":
					stats.Comments++
				case "kudos":
					stats.Kudos++
				case "bookmark":
					stats.Bookmarks++
				case "series":
					stats.Series++
				case "subscription":
					stats.Subscriptions++
				case "reading":
					stats.Readings++
				case "redirect":
					stats.Redirects++
				case "report":
					stats.Reports++
				case "audit":
					stats.Audit++
				case "admin_post":
					stats.NewsPosts++
				case "admin_post_comment":
					stats.NewsComments++
				case "setting":
					stats.Settings++
				case "banner":
					stats.Banners++
				case "invite_request":
					stats.InviteRequests++
				case "invitation":
					stats.Invitations++
				case "collection":
					stats.Collections++
				case "collection_item", "gift":
					stats.CollectionItems++
				case "creator_invitation":
					stats.CreatorInvitations++
				case "related_work":
					stats.RelatedWorks++
				case "challenge", "challenge_signup", "challenge_assignment", "prompt", "prompt_claim":
					stats.Challenges++
				}
			}
			progress(false)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	})
	progress(true)
	if err != nil {
		return Stats{}, err
	}
	return stats, nil
}

// readLine reads one line (without its newline), at most max bytes.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max+1 {
			return nil, fmt.Errorf("the line is longer than %d bytes", max)
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil {
			line = line[:len(line)-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
		}
		return line, err
	}
}

type importer struct {
	opts      ImportOptions
	now       time.Time
	line      int
	works     map[int64]int // id → line
	chapters  map[int64]int
	comments  map[int64]int
	bookmarks map[int64]int
	reports   map[int64]int // id → line
	links     []pendingLinks
	seriesIDs map[int64]int    // id → line
	seriesPut map[[2]int64]int // (series, work) → position, as series lines put them
	// workSeries are the series places work lines name, checked at the end.
	workSeries []workSeriesCheck
	news       map[newsKey]int // news posts and comments → line
	named      map[string]int  // settings and the banner → line
}

// pendingLinks is a user's mutes and blocks, written after the last line.
type pendingLinks struct {
	line int
	user *store.DumpUser
}

// strict decodes raw into v, refusing unknown fields and trailing data.
func strict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("field %q: expected %s, not a JSON %s", te.Field, te.Type, te.Value)
	}
	return fmt.Errorf("not valid JSON: %v", strings.TrimPrefix(err.Error(), "json: "))
}

func (im *importer) put(ctx context.Context, w store.DumpWriter, raw []byte) (string, error) {
	var head struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return "", jsonError(err)
	}
	if head.Type == nil {
		return "", errors.New(`the object has no "type"`)
	}
	switch *head.Type {
	case "tag":
		var l tagLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		sp, err := im.tag(l)
		if err != nil {
			return "", err
		}
		return "tag", w.PutTag(ctx, sp)
	case "user":
		var l userLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		u, err := im.user(l)
		if err != nil {
			return "", err
		}
		if len(u.MutedTags) > 0 || len(u.MutedUsers) > 0 || len(u.BlockedUsers) > 0 {
			im.links = append(im.links, pendingLinks{im.line, u})
		}
		return "user", w.PutUser(ctx, u)
	case "work":
		var l workLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		dw, err := im.work(l)
		if err != nil {
			return "", err
		}
		return "work", w.PutWork(ctx, dw)
	case "comment":
		var l commentLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		c, err := im.comment(l)
		if err != nil {
			return "", err
		}
		return "comment", w.PutComment(ctx, c)
	case "kudos":
		var l kudosLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		k, err := im.kudos(l)
		if err != nil {
			return "", err
		}
		return "kudos", w.PutKudos(ctx, k)
	case "bookmark":
		var l bookmarkLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		b, err := im.bookmark(l)
		if err != nil {
			return "", err
		}
		return "bookmark", w.PutBookmark(ctx, b)
	case "series":
		var l seriesLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		s, err := im.series(l)
		if err != nil {
			return "", err
		}
		return "series", w.PutSeries(ctx, s)
	case "subscription":
		var l subscriptionLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		s, err := im.subscription(l)
		if err != nil {
			return "", err
		}
		return "subscription", w.PutSubscription(ctx, s)
	case "reading":
		var l readingLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		r, err := im.reading(l)
		if err != nil {
			return "", err
		}
		return "reading", w.PutReading(ctx, r)
	case "hidden_work":
		var l hiddenWorkLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		h, err := im.hiddenWork(l)
		if err != nil {
			return "", err
		}
		return "hidden_work", w.PutHiddenWork(ctx, h)
	case "saved_search":
		var l savedSearchLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		s, err := im.savedSearch(l)
		if err != nil {
			return "", err
		}
		return "saved_search", w.PutSavedSearch(ctx, s)
	case "creator_invitation":
		var l creatorInvitationLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		c, err := im.creatorInvitation(l)
		if err != nil {
			return "", err
		}
		return "creator_invitation", w.PutCreatorInvitation(ctx, c)
	case "redirect":
		var l redirectLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		r, err := im.redirect(l)
		if err != nil {
			return "", err
		}
		return "redirect", w.PutRedirect(ctx, r)
	case "report":
		var l reportLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		r, err := im.report(l)
		if err != nil {
			return "", err
		}
		return "report", w.PutReport(ctx, r)
	case "audit":
		var l auditLine
		if err := strict(raw, &l); err != nil {
			return "", err
		}
		e, err := im.audit(l)
		if err != nil {
			return "", err
		}
		return "audit", w.PutAudit(ctx, e)
	default:
		if ok, err := im.putNews(ctx, w, *head.Type, raw); ok {
			return *head.Type, err
		}
		if ok, err := im.putPolicy(ctx, w, *head.Type, raw); ok {
			return *head.Type, err
		}
		if ok, err := im.putCollections(ctx, w, *head.Type, raw); ok {
			return *head.Type, err
		}
		if ok, err := im.putChallenges(ctx, w, *head.Type, raw); ok {
			return *head.Type, err
		}
		if ok, err := im.putPromptMemes(ctx, w, *head.Type, raw); ok {
			return *head.Type, err
		}
		return "", fmt.Errorf("unknown record type %q", *head.Type)
	}
}

func (im *importer) tag(l tagLine) (store.TagSpec, error) {
	t, ok := archive.ParseTagType(l.TagType)
	if !ok {
		return store.TagSpec{}, fmt.Errorf("tag_type %q is not one of rating, warning, category, fandom, relationship, character, freeform", l.TagType)
	}
	name, err := archive.CleanTagName(l.Name)
	if err != nil {
		return store.TagSpec{}, err
	}
	if vocab := archive.FixedVocabulary(t); vocab != nil {
		found := ""
		for _, v := range vocab {
			if strings.EqualFold(v, name) {
				found = v
			}
		}
		if found == "" {
			return store.TagSpec{}, fmt.Errorf("%q is not a %s; the %ss are %s", name, t, t, strings.Join(vocab, ", "))
		}
		name = found
	}
	sp := store.TagSpec{Type: t, Name: name, Canonical: l.Canonical}
	if l.Media != "" {
		m, ok := archive.MediumNamed(l.Media)
		switch {
		case !ok:
			return sp, fmt.Errorf("media %q is not one of %s", l.Media, strings.Join(archive.Media, ", "))
		case t != archive.TypeFandom || !l.Canonical:
			return sp, fmt.Errorf("tag %q: only a canonical fandom has media", name)
		}
		sp.Media = m
	}
	if l.SynonymOf != nil && strings.TrimSpace(*l.SynonymOf) != "" {
		if l.Canonical {
			return sp, fmt.Errorf("tag %q can't be both canonical and a synonym", name)
		}
		if sp.SynonymOf, err = archive.CleanTagName(*l.SynonymOf); err != nil {
			return sp, fmt.Errorf("synonym_of: %v", err)
		}
		if archive.TagKey(sp.SynonymOf) == archive.TagKey(name) {
			return sp, fmt.Errorf("tag %q can't be a synonym of itself", name)
		}
	}
	for _, m := range l.Meta {
		n, err := archive.CleanTagName(m)
		if err != nil {
			return sp, fmt.Errorf("meta: %v", err)
		}
		if archive.TagKey(n) == archive.TagKey(name) {
			return sp, fmt.Errorf("tag %q can't be its own meta tag", name)
		}
		sp.Meta = append(sp.Meta, n)
	}
	if len(l.ParentFandoms) > 0 && t != archive.TypeCharacter && t != archive.TypeRelationship && t != archive.TypeFreeform {
		return sp, fmt.Errorf("a %s tag can't have parent fandoms (only characters, relationships and additional tags)", t)
	}
	for _, p := range l.ParentFandoms {
		n, err := archive.CleanTagName(p)
		if err != nil {
			return sp, fmt.Errorf("parent_fandoms: %v", err)
		}
		sp.Parents = append(sp.Parents, n)
	}
	return sp, nil
}

// parseTime reads an RFC 3339 timestamp ("" is the zero time).
func (im *importer) parseTime(field, s string, notFuture bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not an RFC 3339 timestamp (such as 2024-05-01T12:00:00Z)", field, s)
	}
	if notFuture && t.After(im.now.Add(time.Minute)) {
		return time.Time{}, fmt.Errorf("%s: %s is in the future", field, s)
	}
	return t.UTC(), nil
}

func (im *importer) user(l userLine) (*store.DumpUser, error) {
	name, err := archive.CleanUserName(l.Name)
	if err != nil {
		return nil, err
	}
	email, err := archive.CleanEmail(l.Email)
	if err != nil {
		return nil, err
	}
	for _, r := range l.Roles {
		if c, err := archive.CleanRole(r); err != nil || c != r {
			return nil, fmt.Errorf("roles: %q is not a role (%s)", r, strings.Join(archive.Roles, ", "))
		}
	}
	created, err := im.parseTime("created_at", l.CreatedAt, true)
	if err != nil {
		return nil, err
	}
	suspended, err := im.parseTime("suspended_until", l.SuspendedUntil, false)
	if err != nil {
		return nil, err
	}
	u := &store.DumpUser{User: archive.User{Name: name, Email: email, Roles: l.Roles, CreatedAt: created, Preferences: l.Preferences,
		SuspendedUntil: suspended, Banned: l.Banned, ModerationReason: l.ModerationReason}, BlockedAt: im.now.UTC().Truncate(time.Second)}
	if err := im.userLinks(l, u); err != nil {
		return nil, err
	}
	for i, f := range l.FormerNames {
		n, err := archive.CleanUserName(f.Name)
		if err != nil {
			return nil, fmt.Errorf("former_names[%d]: %v", i, err)
		}
		at, err := im.parseTime(fmt.Sprintf("former_names[%d].renamed_at", i), f.RenamedAt, true)
		if err != nil {
			return nil, err
		}
		u.FormerNames = append(u.FormerNames, store.FormerName{Name: n, RenamedAt: at})
	}
	if src, f := source(l.BioSource, l.BioFormat, l.Bio); src != "" {
		if u.Bio, err = archive.PrepareBio(src, f); err != nil {
			return nil, err
		}
	}
	if l.PasswordHash != nil {
		u.User.PasswordHash = *l.PasswordHash
	}
	defaults := 0
	seen := map[string]bool{}
	for i, p := range l.Pseuds {
		pn := strings.TrimSpace(p.Name)
		if pn == "" {
			return nil, fmt.Errorf("pseuds[%d]: the name can't be blank", i)
		}
		if n := utf8.RuneCountInString(pn); n > archive.MaxPseudLength {
			return nil, fmt.Errorf("pseuds[%d]: %q is %d characters long; the limit is %d", i, pn, n, archive.MaxPseudLength)
		}
		if k := strings.ToLower(pn); seen[k] {
			return nil, fmt.Errorf("pseuds[%d]: %q appears twice", i, pn)
		} else {
			seen[k] = true
		}
		pc, err := im.parseTime(fmt.Sprintf("pseuds[%d].created_at", i), p.CreatedAt, true)
		if err != nil {
			return nil, err
		}
		if p.Default {
			defaults++
		}
		u.Pseuds = append(u.Pseuds, store.DumpPseud{Name: pn, Default: p.Default, CreatedAt: pc})
	}
	if len(l.Pseuds) > 0 && defaults != 1 {
		return nil, fmt.Errorf("pseuds: an account has exactly one default pseud, not %d", defaults)
	}
	if l.APITokens != nil {
		for i, t := range *l.APITokens {
			if strings.TrimSpace(t.Hash) == "" {
				return nil, fmt.Errorf("api_tokens[%d]: the hash can't be blank", i)
			}
			tc, err := im.parseTime(fmt.Sprintf("api_tokens[%d].created_at", i), t.CreatedAt, true)
			if err != nil {
				return nil, err
			}
			u.Tokens = append(u.Tokens, store.DumpToken{Hash: t.Hash, Name: t.Name, CreatedAt: tc})
		}
	}
	if ft := l.FeedToken; ft != nil {
		if strings.TrimSpace(ft.Token) == "" {
			return nil, errors.New("feed_token: the token can't be blank")
		}
		fc, err := im.parseTime("feed_token.created_at", ft.CreatedAt, true)
		if err != nil {
			return nil, err
		}
		u.FeedToken = &store.DumpFeedToken{Token: ft.Token, CreatedAt: fc}
	}
	return u, nil
}

// source picks what to re-render: the source when the line has one, else
// the HTML (as HTML).
func source(src, format, html string) (string, archive.Format) {
	if src == "" && strings.TrimSpace(html) != "" {
		return html, archive.FormatHTML
	}
	return src, archive.Format(format)
}

func (im *importer) work(l workLine) (*store.DumpWork, error) {
	if l.ID <= 0 {
		return nil, errors.New("a work needs a positive id")
	}
	if first, ok := im.works[l.ID]; ok {
		return nil, fmt.Errorf("work %d appears twice in the file (first on line %d)", l.ID, first)
	}
	im.works[l.ID] = im.line
	if len(l.Creators) == 0 {
		return nil, fmt.Errorf("work %d: creators: name at least one pseud", l.ID)
	}
	for i, s := range l.Series {
		if s.ID <= 0 {
			return nil, fmt.Errorf("work %d: series[%d]: a series id is positive", l.ID, i)
		}
		im.workSeries = append(im.workSeries, workSeriesCheck{line: im.line, position: s.Position, work: l.ID, series: s.ID})
	}
	if l.Hits < 0 || l.Kudos < 0 || l.Comments < 0 || l.Bookmarks < 0 {
		return nil, fmt.Errorf("work %d: hits, kudos, comments and bookmarks can't be negative", l.ID)
	}
	posted, err := im.parseTime("posted_at", l.PostedAt, true)
	if err != nil {
		return nil, fmt.Errorf("work %d: %v", l.ID, err)
	}
	in := archive.WorkInput{
		Title: l.Title, Rating: l.Rating, Warnings: l.Warnings, Categories: l.Categories, Fandoms: l.Fandoms,
		Relationships: l.Relationships, Characters: l.Characters, Freeforms: l.Freeforms,
		Language: l.Language, Restricted: l.Restricted, Draft: l.Draft, PostedAt: posted,
		CommentPermission: l.CommentPermissions, ModeratedComments: l.ModeratedComments, Pseuds: l.Creators,
	}
	if l.ChaptersExpected != nil {
		in.ChaptersExpected = *l.ChaptersExpected
		if in.ChaptersExpected == 0 {
			return nil, fmt.Errorf("work %d: chapters_expected: must be between 1 and %d, or null for unknown", l.ID, archive.MaxChapters)
		}
	}
	in.Summary, in.SummaryFormat = source(l.SummarySource, l.SummaryFormat, l.Summary)
	in.Notes, in.NotesFormat = source(l.NotesSource, l.NotesFormat, l.Notes)
	in.EndNotes, in.EndNotesFormat = source(l.EndNotesSource, l.EndNotesFormat, l.EndNotes)
	for i, c := range l.Chapters {
		if c.Position != 0 && c.Position != i+1 {
			return nil, fmt.Errorf("work %d: chapters[%d]: position %d, expected %d (chapters are listed in order)", l.ID, i, c.Position, i+1)
		}
		ci := archive.ChapterInput{Title: c.Title, Draft: c.Draft}
		ci.Summary, ci.SummaryFormat = source(c.SummarySource, c.SummaryFormat, c.Summary)
		ci.Notes, ci.NotesFormat = source(c.NotesSource, c.NotesFormat, c.Notes)
		ci.EndNotes, ci.EndNotesFormat = source(c.EndNotesSource, c.EndNotesFormat, c.EndNotes)
		var f archive.Format
		ci.Body, f = source(c.Source, c.Format, c.Body)
		ci.Format = f
		in.Chapters = append(in.Chapters, ci)
	}
	w, chapters, err := archive.PrepareWork(in, im.now)
	if err != nil {
		return nil, fmt.Errorf("work %d: %v", l.ID, err)
	}
	w.ID = l.ID
	w.Hidden = l.Hidden
	if w.Hidden {
		w.HiddenReason, w.HiddenByBan = l.HiddenReason, l.HiddenByBan
	}
	w.AwaitingReview = l.AwaitingReview
	if w.PublishAt, err = im.parseTime("publish_at", l.PublishAt, false); err != nil {
		return nil, fmt.Errorf("work %d: %v", l.ID, err)
	}
	w.Hits, w.Kudos, w.Comments, w.Bookmarks = l.Hits, l.Kudos, l.Comments, l.Bookmarks
	for _, name := range l.Creators {
		w.Creators = append(w.Creators, archive.Creator{Pseud: strings.TrimSpace(name)})
	}
	for _, f := range []struct {
		field, value string
		dst          *time.Time
	}{{"updated_at", l.UpdatedAt, &w.UpdatedAt}, {"edited_at", l.EditedAt, &w.EditedAt}, {"created_at", l.CreatedAt, &w.CreatedAt}} {
		t, err := im.parseTime(f.field, f.value, false)
		if err != nil {
			return nil, fmt.Errorf("work %d: %v", l.ID, err)
		}
		*f.dst = t
	}
	for i, c := range chapters {
		cl := l.Chapters[i]
		if cl.ID <= 0 {
			return nil, fmt.Errorf("work %d: chapters[%d]: a chapter needs a positive id", l.ID, i)
		}
		if first, ok := im.chapters[cl.ID]; ok {
			return nil, fmt.Errorf("work %d: chapter %d appears twice in the file (first on line %d)", l.ID, cl.ID, first)
		}
		im.chapters[cl.ID] = im.line
		c.ID = cl.ID
		if c.PostedAt, err = im.parseTime(fmt.Sprintf("chapters[%d].posted_at", i), cl.PostedAt, true); err != nil {
			return nil, fmt.Errorf("work %d: %v", l.ID, err)
		}
		if c.PostedAt.IsZero() {
			c.PostedAt = w.PostedAt
		}
		if c.UpdatedAt, err = im.parseTime(fmt.Sprintf("chapters[%d].updated_at", i), cl.UpdatedAt, false); err != nil {
			return nil, fmt.Errorf("work %d: %v", l.ID, err)
		}
		if c.PublishAt, err = im.parseTime(fmt.Sprintf("chapters[%d].publish_at", i), cl.PublishAt, false); err != nil {
			return nil, fmt.Errorf("work %d: %v", l.ID, err)
		}
		if len(cl.Creators) > archive.MaxChapterCreators {
			return nil, fmt.Errorf("work %d: chapters[%d].creators: at most %d pseuds", l.ID, i, archive.MaxChapterCreators)
		}
		for _, name := range cl.Creators {
			name = strings.TrimSpace(name)
			if !slices.ContainsFunc(w.Creators, func(wc archive.Creator) bool { return strings.EqualFold(wc.Pseud, name) }) {
				return nil, fmt.Errorf("work %d: chapters[%d].creators: %q is not among the work's creators", l.ID, i, name)
			}
			c.Creators = append(c.Creators, archive.Creator{Pseud: name})
		}
	}
	return &store.DumpWork{Work: w, Chapters: chapters}, nil
}
