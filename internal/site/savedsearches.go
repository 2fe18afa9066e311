package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/mail"
	"quire/internal/store"
)

// Saved searches. A reader keeps a listing's parameters under a name; one
// may be the default of /works; each has a private Atom feed (its own
// secret token in the URL, replaceable) and may be mailed as a daily or
// weekly digest of the works first posted since the last digest.
//
// A digest is due once per period (a UTC day, an ISO week from Monday
// 00:00 UTC) for each reader with a search of that frequency. Every node
// runs the pass (serve does every minute; `quire digest --now` once);
// a reader's digest is recorded under (reader, period) in the same
// transaction that queues its mail job, so whichever node records it
// first queues the one mail and the others find it taken. A digest with
// no new works is recorded without a mail. The works are listed by the
// index as that reader sees listings: restricted works only because they
// are logged in, their mutes, hidden works and blocks applied, never a
// draft, a hidden work or an anonymous work's creators.

// digestWorksPerSearch bounds the works one search lists in a digest; the
// mail links to the rest.
const digestWorksPerSearch = 25

// savedParamKeys are the listing parameters a search keeps (SPEC's table,
// the reader's own filters and q; never page).
var savedParamKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range []string{"tag", "exclude_tag", "rating", "exclude_rating", "warning", "exclude_warning",
		"category", "exclude_category", "complete", "crossover", "words_from", "words_to", "updated_from",
		"updated_to", "language", "q", "sort", "order", "per_page",
		"exclude_read", "exclude_kudosed", "exclude_bookmarked", "marked_for_later",
		// The scope of a collection's or a pseud's listing: the
		// collection's name, the pseud as "user/pseud".
		"collection", "pseud"} {
		m[k] = true
	}
	for _, t := range archive.FreeTagTypes {
		m[string(t)], m["exclude_"+string(t)] = true, true
	}
	return m
}()

// IsSavedParam reports whether a URL parameter is one a search keeps.
func IsSavedParam(key string) bool { return savedParamKeys[key] }

// SavedSearch is a reader's saved search as pages and the API show it.
type SavedSearch struct {
	store.SavedSearch
	Values url.Values
	// FeedURL is the search's private Atom feed, absolute.
	FeedURL string
	// Path is the listing the search opens (/works?…).
	Path string
}

// SavedSearchInput is a new search, or the fields of a change (nil: keep).
type SavedSearchInput struct {
	Name    *string
	Params  url.Values
	Default *bool
	Digest  *string
}

func (s *Site) viewSaved(ss store.SavedSearch) SavedSearch {
	v, _ := url.ParseQuery(ss.Params)
	path := "/works"
	rest := url.Values{}
	for k, vals := range v {
		if k != "collection" && k != "pseud" {
			rest[k] = vals
		}
	}
	if c := v.Get("collection"); c != "" {
		path = "/collections/" + url.PathEscape(c) + "/works"
	} else if user, pseud, ok := strings.Cut(v.Get("pseud"), "/"); ok {
		path = "/users/" + url.PathEscape(user) + "/pseuds/" + url.PathEscape(pseud)
	}
	if len(rest) > 0 {
		path += "?" + rest.Encode()
	}
	return SavedSearch{SavedSearch: ss, Values: v, Path: path,
		FeedURL: s.BaseURL + "/searches/" + url.PathEscape(ss.FeedToken) + "/feed.atom"}
}

// cleanParams keeps a listing's parameters as a search stores them:
// known keys only, no empty values, page dropped, in a canonical order.
// Values a listing would refuse are refused here, with the same message.
func (s *Site) cleanParams(ctx context.Context, u *archive.User, in url.Values) (string, error) {
	out := url.Values{}
	for k, vals := range in {
		if k == "page" {
			continue
		}
		if !savedParamKeys[k] {
			return "", archive.Invalid("params", "%q is not a listing parameter", k)
		}
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				out.Add(k, v)
			}
		}
	}
	enc := out.Encode()
	if len(enc) > archive.MaxSavedSearchParams {
		return "", archive.Invalid("params", "are %d bytes long encoded; the limit is %d", len(enc), archive.MaxSavedSearchParams)
	}
	q, text, err := s.savedQuery(ctx, out)
	if err != nil {
		return "", err
	}
	// Run it once, so a tag nobody has or a bad q is refused now, not in
	// every digest.
	q.PerPage, q.SkipFacets = 1, true
	if _, err := s.Search(ctx, u, q, text); err != nil {
		return "", err
	}
	return enc, nil
}

// savedQuery is the listing query and text a search's parameters say: the
// listing parameters, and the scope of a collection's listing (its works
// and its subcollections') or a pseud's (that pseud's works; a pseud's
// listing has no text search). A collection or pseud that is gone is a
// 422 naming it.
func (s *Site) savedQuery(ctx context.Context, v url.Values) (listing.Query, string, error) {
	q, err := listing.ParseValues(v)
	if err != nil {
		return q, "", err
	}
	text := v.Get("q")
	if name := v.Get("collection"); name != "" {
		c, err := s.Collection(ctx, name)
		if errors.Is(err, archive.ErrNotFound) {
			return q, "", archive.Invalid("collection", "there is no collection %q", name)
		} else if err != nil {
			return q, "", err
		}
		if q.Collections, err = s.CollectionTree(ctx, c); err != nil {
			return q, "", err
		}
	}
	if p := v.Get("pseud"); p != "" {
		user, pseud, _ := strings.Cut(p, "/")
		owner, ps, err := s.UserPseud(ctx, user, pseud)
		if errors.Is(err, archive.ErrNotFound) {
			return q, "", archive.Invalid("pseud", "there is no pseud %q (write it as user/pseud)", p)
		} else if err != nil {
			return q, "", err
		}
		if q.TextIDs, err = s.PseudWorkIDs(ctx, ps); err != nil {
			return q, "", err
		}
		q.CreatorUserID, text = owner.ID, ""
	}
	return q, text, nil
}

// SavedSearches lists u's saved searches, oldest first.
func (s *Site) SavedSearches(ctx context.Context, u *archive.User) ([]SavedSearch, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ss, err := s.store.SavedSearches(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]SavedSearch, 0, len(ss))
	for _, x := range ss {
		out = append(out, s.viewSaved(x))
	}
	return out, nil
}

// GetSavedSearch is one of u's searches.
func (s *Site) GetSavedSearch(ctx context.Context, u *archive.User, id int64) (*SavedSearch, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ss, err := s.store.SavedSearch(ctx, u.ID, id)
	if err != nil {
		return nil, err
	}
	v := s.viewSaved(*ss)
	return &v, nil
}

// SaveSearch saves a listing's parameters under a name for u.
func (s *Site) SaveSearch(ctx context.Context, u *archive.User, in SavedSearchInput) (*SavedSearch, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if in.Name == nil {
		return nil, archive.Invalid("name", "can't be blank: name the search so you can find it again")
	}
	existing, err := s.store.SavedSearches(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(existing) >= archive.MaxSavedSearches {
		return nil, archive.Invalid("name", "you have saved %d searches, the most one reader may; delete one first", archive.MaxSavedSearches)
	}
	now := s.Now().Truncate(time.Second)
	token, _ := NewSecret()
	ss := &store.SavedSearch{UserID: u.ID, Digest: archive.DigestOff, FeedToken: token, CreatedAt: now, UpdatedAt: now}
	if err := s.applySavedInput(ctx, u, ss, in, existing, now); err != nil {
		return nil, err
	}
	if err := s.store.PutSavedSearch(ctx, ss); err != nil {
		return nil, err
	}
	v := s.viewSaved(*ss)
	return &v, nil
}

// applySavedInput checks and applies the given fields of in to ss.
func (s *Site) applySavedInput(ctx context.Context, u *archive.User, ss *store.SavedSearch, in SavedSearchInput, others []store.SavedSearch, now time.Time) error {
	if in.Name != nil {
		name, err := archive.CleanSavedSearchName(*in.Name)
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.ID != ss.ID && strings.EqualFold(o.Name, name) {
				return archive.Explain(archive.ErrConflict, "you already have a saved search named %q", o.Name)
			}
		}
		ss.Name = name
	}
	if in.Params != nil {
		p, err := s.cleanParams(ctx, u, in.Params)
		if err != nil {
			return err
		}
		ss.Params = p
	}
	if in.Default != nil {
		ss.Default = *in.Default
	}
	if in.Digest != nil {
		d, err := archive.CheckDigest(*in.Digest)
		if err != nil {
			return err
		}
		if d != ss.Digest && d != archive.DigestOff {
			// A digest just turned on starts from now, not from the
			// search's creation.
			ss.DigestSince = now
		}
		ss.Digest = d
	}
	ss.UpdatedAt = now
	return nil
}

// UpdateSavedSearch changes the given fields of one of u's searches.
func (s *Site) UpdateSavedSearch(ctx context.Context, u *archive.User, id int64, in SavedSearchInput) (*SavedSearch, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ss, err := s.store.SavedSearch(ctx, u.ID, id)
	if err != nil {
		return nil, err
	}
	others, err := s.store.SavedSearches(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if err := s.applySavedInput(ctx, u, ss, in, others, s.Now().Truncate(time.Second)); err != nil {
		return nil, err
	}
	if err := s.store.PutSavedSearch(ctx, ss); err != nil {
		return nil, err
	}
	v := s.viewSaved(*ss)
	return &v, nil
}

// NewSavedSearchToken replaces a search's feed token: the old feed URL
// stops working.
func (s *Site) NewSavedSearchToken(ctx context.Context, u *archive.User, id int64) (*SavedSearch, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	ss, err := s.store.SavedSearch(ctx, u.ID, id)
	if err != nil {
		return nil, err
	}
	ss.FeedToken, _ = NewSecret()
	ss.UpdatedAt = s.Now().Truncate(time.Second)
	if err := s.store.PutSavedSearch(ctx, ss); err != nil {
		return nil, err
	}
	v := s.viewSaved(*ss)
	return &v, nil
}

// DeleteSavedSearch deletes one of u's searches.
func (s *Site) DeleteSavedSearch(ctx context.Context, u *archive.User, id int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	return s.store.DeleteSavedSearch(ctx, u.ID, id)
}

// DefaultSearch is u's default search of /works, or nil.
func (s *Site) DefaultSearch(ctx context.Context, u *archive.User) (*SavedSearch, error) {
	if u == nil {
		return nil, nil
	}
	ss, err := s.store.SavedSearches(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range ss {
		if x.Default {
			v := s.viewSaved(x)
			return &v, nil
		}
	}
	return nil, nil
}

// ErrBadSearchToken is a saved search's feed link whose token opens nothing.
var ErrBadSearchToken = archive.Explain(archive.ErrNotFound, "this saved search's feed link is not valid: the search was deleted or its link replaced; copy the current link from your Saved searches page")

// SearchFeed runs the saved search a feed token opens, as its owner sees
// listings: the newest posted works first.
func (s *Site) SearchFeed(ctx context.Context, token string, n int) (*SavedSearch, *Listing, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, nil, ErrBadSearchToken
	}
	ss, err := s.store.SavedSearchByToken(ctx, token)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, nil, ErrBadSearchToken
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.UserByID(ctx, ss.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Banned {
		return nil, nil, ErrBadSearchToken
	}
	v := s.viewSaved(*ss)
	q, text, err := s.savedQuery(ctx, v.Values)
	if err != nil {
		return nil, nil, err
	}
	q.Sort, q.Order, q.Page, q.PerPage, q.SkipFacets = "posted", "desc", 1, n, true
	l, err := s.Search(ctx, u, q, text)
	if err != nil {
		return nil, nil, err
	}
	return &v, l, nil
}

// DigestPeriod is the period a time falls in for a frequency: the UTC day
// ("daily:2026-12-03") or the ISO week ("weekly:2026-W49").
func DigestPeriod(frequency string, t time.Time) string {
	t = t.UTC()
	if frequency == archive.DigestWeekly {
		y, w := t.ISOWeek()
		return fmt.Sprintf("weekly:%04d-W%02d", y, w)
	}
	return "daily:" + t.Format("2006-01-02")
}

// DigestReport says what one digest pass did.
type DigestReport struct {
	// Mailed is the readers whose digest mail this pass queued; Empty
	// those recorded with no new works (no mail); Taken those another
	// pass (another node) recorded first.
	Mailed, Empty, Taken int
}

// RunDigests queues the digests due at now: for each frequency, every
// reader with a search of it and no digest for now's period yet.
func (s *Site) RunDigests(ctx context.Context, now time.Time) (DigestReport, error) {
	var rep DigestReport
	for _, freq := range []string{archive.DigestDaily, archive.DigestWeekly} {
		period := DigestPeriod(freq, now)
		readers, err := s.store.DigestReaders(ctx, freq, period)
		if err != nil {
			return rep, err
		}
		for _, uid := range readers {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			if err := s.digestOne(ctx, uid, freq, period, now, &rep); err != nil {
				// One reader's failure (a search gone stale) must not stop
				// the others' digests: it is logged and tried next pass.
				s.logger().Warn("digest", "user", uid, "period", period, "err", err)
			}
		}
	}
	return rep, nil
}

// digestSection is one saved search's part of a digest.
type digestSection struct {
	search SavedSearch
	total  int
	works  []*archive.Work
}

func (s *Site) digestOne(ctx context.Context, uid int64, freq, period string, now time.Time, rep *DigestReport) error {
	u, err := s.store.UserByID(ctx, uid)
	if err != nil {
		return err
	}
	send := store.DigestSend{UserID: uid, Period: period, Frequency: freq, SentAt: now.UTC().Truncate(time.Second)}
	var sections []digestSection
	if !u.Banned && u.Email != "" {
		if sections, err = s.digestSections(ctx, u, freq, now); err != nil {
			return err
		}
	}
	var kind string
	var payload []byte
	for _, sec := range sections {
		send.Works += len(sec.works)
	}
	if send.Works > 0 {
		msg, err := s.digestMail(ctx, u, freq, sections)
		if err != nil {
			return err
		}
		if err := msg.Validate(); err != nil {
			return err
		}
		if payload, err = json.Marshal(msg); err != nil {
			return err
		}
		kind = mail.JobKind
	}
	ok, err := s.store.RecordDigest(ctx, send, kind, payload)
	switch {
	case err != nil:
		return err
	case !ok:
		rep.Taken++
	case kind == "":
		rep.Empty++
	default:
		rep.Mailed++
	}
	return nil
}

// digestSections lists, per search of the frequency, the works first
// posted since the reader's last digest (or since the digest was turned
// on), as the reader sees listings, less the works of accounts they
// blocked and their own.
func (s *Site) digestSections(ctx context.Context, u *archive.User, freq string, now time.Time) ([]digestSection, error) {
	searches, err := s.SavedSearches(ctx, u)
	if err != nil {
		return nil, err
	}
	last, err := s.store.LastDigest(ctx, u.ID, freq)
	if err != nil {
		return nil, err
	}
	blocked, err := s.blockedIDs(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []digestSection
	for _, ss := range searches {
		if ss.Digest != freq {
			continue
		}
		since := last
		if ss.DigestSince.After(since) {
			since = ss.DigestSince
		}
		q, text, err := s.savedQuery(ctx, ss.Values)
		if err != nil {
			s.logger().Warn("digest: saved search no longer parses", "search", ss.ID, "err", err)
			continue
		}
		// [since, now): a work posted in the very second a digest goes
		// out is in the next one, never in both or neither.
		q.Ranges = append(q.Ranges, listing.Range{Field: "posted", Min: max(since.Unix(), 0), Max: max(now.Unix()-1, 0)})
		q.Sort, q.Order, q.Page, q.PerPage, q.SkipFacets = "posted", "desc", 1, digestWorksPerSearch, true
		l, err := s.Search(ctx, u, q, text)
		if err != nil {
			s.logger().Warn("digest: saved search fails", "search", ss.ID, "err", err)
			continue
		}
		sec := digestSection{search: ss, total: l.Total}
		for _, w := range l.Works {
			if w.HasCreatorUser(u.ID) || !w.Masked && slices.ContainsFunc(w.Creators, func(c archive.Creator) bool { return slices.Contains(blocked, c.UserID) }) {
				sec.total--
				continue
			}
			sec.works = append(sec.works, w)
		}
		if len(sec.works) > 0 {
			out = append(out, sec)
		}
	}
	return out, nil
}

// blockedIDs is the ids of the accounts u blocked.
func (s *Site) blockedIDs(ctx context.Context, u *archive.User) ([]int64, error) {
	names, err := s.store.BlockedUsers(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, n := range names {
		b, err := s.store.UserByName(ctx, n)
		if err == nil {
			out = append(out, b.ID)
		}
	}
	return out, nil
}

// digestMail composes a reader's digest: under each search a link that
// stops that search's digest, and in List-Unsubscribe (RFC 8058 one-click)
// a link that stops every search the mail lists; neither needs a log-in.
func (s *Site) digestMail(ctx context.Context, u *archive.User, freq string, sections []digestSection) (mail.Message, error) {
	sort.SliceStable(sections, func(i, j int) bool { return sections[i].search.ID < sections[j].search.ID })
	total := 0
	for _, sec := range sections {
		total += sec.total
	}
	noun := "works"
	if total == 1 {
		noun = "work"
	}
	subject := fmt.Sprintf("[%s] Your %s digest: %d new %s for your saved searches", s.Name, freq, total, noun)
	manage := s.BaseURL + "/account/searches"
	esc := html.EscapeString
	unsubscribe := func(ids ...int64) (string, error) {
		tok, err := s.DigestUnsubscribeToken(ctx, u.ID, ids)
		return s.BaseURL + "/unsubscribe/digest/" + tok, err
	}
	var ids []int64
	for _, sec := range sections {
		ids = append(ids, sec.search.ID)
	}
	stopAll, err := unsubscribe(ids...)
	if err != nil {
		return mail.Message{}, err
	}
	var t, h strings.Builder
	fmt.Fprintf(&t, "Hello %s,\n\nNew works matching your saved searches:\n", u.Name)
	fmt.Fprintf(&h, "<!doctype html><html><body>\n<p>Hello %s,</p>\n<p>New works matching your saved searches:</p>\n", esc(u.Name))
	for _, sec := range sections {
		all := s.BaseURL + sec.search.Path
		fmt.Fprintf(&t, "\n== %s (%d new) ==\n", sec.search.Name, sec.total)
		fmt.Fprintf(&h, "<h2>%s (%d new)</h2>\n<ul>\n", esc(sec.search.Name), sec.total)
		for _, w := range sec.works {
			link := fmt.Sprintf("%s/works/%d", s.BaseURL, w.ID)
			fmt.Fprintf(&t, "- “%s” by %s (%s words)\n  %s\n", w.Title, byline(w), commaNum(w.Words), link)
			fmt.Fprintf(&h, "<li><a href=\"%s\">%s</a> by %s (%s words)</li>\n", esc(link), esc(w.Title), esc(byline(w)), commaNum(w.Words))
		}
		if sec.total > len(sec.works) {
			fmt.Fprintf(&t, "  … and %d more: %s\n", sec.total-len(sec.works), all)
			fmt.Fprintf(&h, "<li><a href=\"%s\">and %d more</a></li>\n", esc(all), sec.total-len(sec.works))
		}
		h.WriteString("</ul>\n")
		stop, err := unsubscribe(sec.search.ID)
		if err != nil {
			return mail.Message{}, err
		}
		fmt.Fprintf(&t, "  Stop mailing this search: %s\n", stop)
		fmt.Fprintf(&h, "<p style=\"font-size:small\"><a href=\"%s\">Stop mailing “%s”</a></p>\n", esc(stop), esc(sec.search.Name))
	}
	fmt.Fprintf(&t, "\nYou get this e-mail because you asked for a %s digest of these searches.\nChange it: %s\nStop all of them, without logging in: %s\n", freq, manage, stopAll)
	fmt.Fprintf(&h, "<hr>\n<p style=\"font-size:small\">You get this e-mail because you asked for a %s digest of these searches. <a href=\"%s\">Change it</a> or <a href=\"%s\">stop all of them</a>.</p>\n</body></html>", esc(freq), esc(manage), esc(stopAll))
	return mail.Message{To: u.Email, Subject: subject, Text: t.String(), HTML: h.String(),
		Headers: map[string]string{"List-Unsubscribe": "<" + stopAll + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}, nil
}

// commaNum writes n with thousands separators.
func commaNum(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// DigestLoop runs the digest pass every interval until ctx ends (serve
// runs it on every node).
func (s *Site) DigestLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := s.RunDigests(ctx, s.Now())
		if err != nil && ctx.Err() == nil {
			s.logger().Error("digest pass", "err", err)
		} else if rep.Mailed > 0 {
			s.logger().Info("digests queued", "mailed", rep.Mailed, "empty", rep.Empty, "taken", rep.Taken)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
