package site

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/store"
)

// Prompt memes: a collection whose challenge is a prompt meme. While
// sign-ups are open participants post prompts (tags within the settings'
// per-type ranges and tag set, a text, optionally anonymous) and edit or
// delete their own; anyone who may add works to the collection claims a
// prompt (many claims per prompt, one each, their own prompts too, as on
// AO3); a work the claimer posts to the collection naming the claim fills
// it, and the prompter is told. An anonymous prompt's poster, and in an
// anonymous collection every claimer, is "Anonymous" to everyone but
// themselves and the maintainers.

// Prompt list filters.
const (
	PromptsClaimed   = "claimed"
	PromptsUnclaimed = "unclaimed"
	PromptsFilled    = "filled"
	PromptsUnfilled  = "unfilled"
)

// PromptsPerPage is the prompts page's page size.
const PromptsPerPage = 20

// PromptQuery filters and orders a prompt meme's prompts.
type PromptQuery struct {
	Tag    string // a tag name any of the prompt's tags must be
	Status string // "", or one of the Prompts* filters
	Sort   string // "newest" (default) or "oldest"
	Page   int
}

// ClaimView is a claim as a reader sees it.
type ClaimView struct {
	archive.Claim
	// Claimer is the claimer's name, or AnonymousCreator.
	Claimer string
	Mine    bool
	// Fill is the work that fills the claim as the reader may see it (nil:
	// none, or one the reader may not see).
	Fill *archive.Work
}

// PromptView is a prompt as a reader sees it.
type PromptView struct {
	*archive.Prompt
	Collection *archive.Collection
	// Poster is the poster's name, or AnonymousCreator.
	Poster string
	Mine   bool
	Claims []ClaimView
	// Fills are the claims filled by works the reader may see.
	Fills []ClaimView
	// MyClaim is the reader's claim on the prompt (0: none).
	MyClaim   int64
	CanEdit   bool
	CanDelete bool
	CanClaim  bool
}

// PromptsPage is one page of a prompt meme's prompts.
type PromptsPage struct {
	Collection *archive.Collection
	Challenge  *archive.Challenge
	Open       bool
	Maintainer bool
	// CanPost: the reader may post a prompt now.
	CanPost bool
	Query   PromptQuery
	Prompts []*PromptView
	Total   int
	Page    int
	Pages   int
}

// meme loads a collection's prompt meme (a 404 with a message when the
// collection runs none).
func (s *Site) meme(ctx context.Context, name string) (*archive.Collection, *archive.Challenge, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	ch, err := s.store.Challenge(ctx, c.ID)
	if errors.Is(err, archive.ErrNotFound) || err == nil && ch.Kind != archive.PromptMeme {
		return nil, nil, archive.Explain(archive.ErrNotFound, "%s is not a prompt meme", c.Title)
	}
	return c, ch, err
}

// promptsClosed explains why u may not post or change prompts now (nil:
// they may).
func (s *Site) promptsClosed(ch *archive.Challenge) error {
	if err := s.signupsOpen(ch); err != nil {
		return archive.Invalid("prompts", "%s", strings.Replace(err.(*archive.ValidationError).Message, "sign-ups", "prompts", 1))
	}
	return nil
}

// canAddWorks reports whether u may add works to c (and so claim its
// prompts): an open collection takes anyone's, a closed one its
// maintainers' only.
func canAddWorks(u *archive.User, c *archive.Collection) bool {
	return u != nil && (c.Open || c.IsMaintainer(u.ID))
}

// PostPrompt adds u's prompt to a prompt meme while sign-ups are open.
func (s *Site) PostPrompt(ctx context.Context, u *archive.User, name string, in archive.MemePromptInput) (*PromptView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	c, ch, err := s.meme(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := s.promptsClosed(ch); err != nil {
		return nil, err
	}
	p, err := archive.PrepareMemePrompt(&ch.Settings, in)
	if err != nil {
		return nil, err
	}
	all, err := s.store.MemePrompts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	limit := ch.Settings.Requests.Max
	if limit == 0 {
		limit = archive.MaxPromptsPerUser
	}
	n := 0
	for _, q := range all {
		if q.UserID == u.ID {
			n++
		}
	}
	if n >= limit {
		return nil, archive.Invalid("prompts", "you have posted %d prompts to %s; the limit is %d", n, c.Title, limit)
	}
	now := s.Now().Truncate(time.Second)
	p.CollectionID, p.UserID, p.CreatedAt, p.UpdatedAt = c.ID, u.ID, now, now
	if err := s.store.AddMemePrompt(ctx, &p); err != nil {
		return nil, err
	}
	return s.Prompt(ctx, u, name, p.ID)
}

// ownPrompt loads a prompt of the named meme that u posted.
func (s *Site) memePrompt(ctx context.Context, name string, id int64) (*archive.Collection, *archive.Challenge, *archive.Prompt, error) {
	c, ch, err := s.meme(ctx, name)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := s.store.Prompt(ctx, id)
	if err != nil || p.CollectionID != c.ID || p.Kind != archive.PromptPrompt {
		return nil, nil, nil, archive.Explain(archive.ErrNotFound, "%s has no prompt %d", c.Title, id)
	}
	return c, ch, p, nil
}

// EditPrompt changes u's own prompt while sign-ups are open.
func (s *Site) EditPrompt(ctx context.Context, u *archive.User, name string, id int64, in archive.MemePromptInput) (*PromptView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	_, ch, old, err := s.memePrompt(ctx, name, id)
	if err != nil {
		return nil, err
	}
	if old.UserID != u.ID {
		return nil, archive.Explain(archive.ErrForbidden, "only its poster may edit a prompt")
	}
	if err := s.promptsClosed(ch); err != nil {
		return nil, err
	}
	p, err := archive.PrepareMemePrompt(&ch.Settings, in)
	if err != nil {
		return nil, err
	}
	p.ID, p.CollectionID, p.UserID, p.CreatedAt = old.ID, old.CollectionID, old.UserID, old.CreatedAt
	p.UpdatedAt = s.Now().Truncate(time.Second)
	if err := s.store.UpdateMemePrompt(ctx, &p); err != nil {
		return nil, err
	}
	return s.Prompt(ctx, u, name, id)
}

// DeletePrompt removes a prompt and its claims: its poster's while
// sign-ups are open, any for the maintainers (in the audit log).
func (s *Site) DeletePrompt(ctx context.Context, u *archive.User, name string, id int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	c, ch, p, err := s.memePrompt(ctx, name, id)
	if err != nil {
		return err
	}
	maintainer := c.IsMaintainer(u.ID)
	switch {
	case p.UserID == u.ID && !maintainer:
		if err := s.CheckWrite(u); err != nil {
			return err
		}
		if err := s.promptsClosed(ch); err != nil {
			return err
		}
	case !maintainer:
		return archive.Explain(archive.ErrForbidden, "only its poster or the collection's maintainers may delete a prompt")
	}
	if err := s.store.DeleteMemePrompt(ctx, id); err != nil {
		return err
	}
	if maintainer && p.UserID != u.ID {
		s.audit(ctx, u, "prompt_delete", collectionTarget(c.Name), fmt.Sprintf("prompt %d", id))
	}
	return nil
}

// ClaimPrompt records u's claim on a prompt.
func (s *Site) ClaimPrompt(ctx context.Context, u *archive.User, id int64) (*archive.Claim, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	p, err := s.store.Prompt(ctx, id)
	if err != nil || p.Kind != archive.PromptPrompt {
		return nil, archive.Explain(archive.ErrNotFound, "there is no prompt %d", id)
	}
	c, err := s.store.CollectionByID(ctx, p.CollectionID)
	if err != nil {
		return nil, err
	}
	if !canAddWorks(u, c) {
		return nil, archive.Explain(archive.ErrForbidden, "%s is closed: only its maintainers add works, so only they may claim its prompts", c.Title)
	}
	cl := &archive.Claim{PromptID: id, UserID: u.ID, CreatedAt: s.Now().Truncate(time.Second)}
	if err := s.store.AddClaim(ctx, cl); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, archive.Explain(archive.ErrConflict, "you have claimed this prompt already")
		}
		return nil, err
	}
	return s.store.Claim(ctx, cl.ID)
}

// DropClaim takes back u's claim (not once a work fills it).
func (s *Site) DropClaim(ctx context.Context, u *archive.User, id int64) (*archive.Claim, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	cl, err := s.store.Claim(ctx, id)
	if err != nil || cl.UserID != u.ID {
		return nil, archive.Explain(archive.ErrNotFound, "you have no claim %d", id)
	}
	if cl.WorkID != 0 {
		return nil, archive.Explain(archive.ErrConflict, "a work fills this claim: edit the work to stop it filling the claim first")
	}
	if err := s.store.DeleteClaim(ctx, id); err != nil {
		return nil, err
	}
	return cl, nil
}

// promptViews turns a meme's prompts and claims into what u sees.
func (s *Site) promptViews(ctx context.Context, u *archive.User, c *archive.Collection, ch *archive.Challenge, prompts []*archive.Prompt, claims []archive.Claim) ([]*PromptView, error) {
	maintainer := u != nil && c.IsMaintainer(u.ID)
	open := s.promptsClosed(ch) == nil
	var workIDs []int64
	for _, cl := range claims {
		if cl.WorkID != 0 {
			workIDs = append(workIDs, cl.WorkID)
		}
	}
	works := map[int64]*archive.Work{}
	if len(workIDs) > 0 {
		ws, err := s.store.WorksByIDs(ctx, workIDs)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			if s.fillVisible(ctx, u, w) {
				works[w.ID] = s.maskFor(ctx, u, w)
			}
		}
	}
	byPrompt := map[int64][]archive.Claim{}
	for _, cl := range claims {
		byPrompt[cl.PromptID] = append(byPrompt[cl.PromptID], cl)
	}
	out := make([]*PromptView, 0, len(prompts))
	for _, p := range prompts {
		mine := u != nil && p.UserID == u.ID
		v := &PromptView{Prompt: p, Collection: c, Poster: p.UserName, Mine: mine, Claims: []ClaimView{}, Fills: []ClaimView{},
			CanEdit: mine && open, CanDelete: mine && open || maintainer, CanClaim: canAddWorks(u, c)}
		if p.Anonymous && !mine && !maintainer {
			shown := *p
			shown.UserName, shown.UserID = "", 0
			v.Prompt, v.Poster = &shown, AnonymousCreator
		}
		if v.Poster == "" {
			v.Poster = AnonymousCreator // the account is gone
		}
		for _, cl := range byPrompt[p.ID] {
			cv := ClaimView{Claim: cl, Claimer: cl.UserName, Mine: u != nil && cl.UserID == u.ID, Fill: works[cl.WorkID]}
			if c.Anonymous && !cv.Mine && !maintainer {
				cv.Claimer, cv.UserName, cv.UserID = AnonymousCreator, "", 0
			}
			if cv.Fill == nil {
				cv.WorkID, cv.FilledAt = 0, time.Time{} // not to be seen by u
			}
			if cv.Mine {
				v.MyClaim = cl.ID
			}
			v.Claims = append(v.Claims, cv)
			if cv.Fill != nil {
				v.Fills = append(v.Fills, cv)
			}
		}
		if v.MyClaim != 0 {
			v.CanClaim = false
		}
		out = append(out, v)
	}
	return out, nil
}

// fillVisible reports whether u may see that w fills a prompt: a posted
// work u may list, revealed or one whose page u may open.
func (s *Site) fillVisible(ctx context.Context, u *archive.User, w *archive.Work) bool {
	if w.Draft || w.Hidden || w.AwaitingReview || !CanList(u, w) {
		return false
	}
	return !w.Unrevealed || s.canSeeWorkPage(ctx, u, w)
}

// Prompts lists a prompt meme's prompts as u sees them, filtered, sorted
// and paged.
func (s *Site) Prompts(ctx context.Context, u *archive.User, name string, q PromptQuery) (*PromptsPage, error) {
	c, ch, err := s.meme(ctx, name)
	if err != nil {
		return nil, err
	}
	if q.Status != "" && !slices.Contains([]string{PromptsClaimed, PromptsUnclaimed, PromptsFilled, PromptsUnfilled}, q.Status) {
		return nil, archive.Invalid("status", "must be claimed, unclaimed, filled or unfilled, not %q", q.Status)
	}
	if q.Sort == "" {
		q.Sort = "newest"
	}
	if q.Sort != "newest" && q.Sort != "oldest" {
		return nil, archive.Invalid("sort", "must be newest or oldest, not %q", q.Sort)
	}
	q.Tag = strings.TrimSpace(q.Tag)
	if q.Page < 1 {
		q.Page = 1
	}
	prompts, err := s.store.MemePrompts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	claims, err := s.store.CollectionClaims(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	all, err := s.promptViews(ctx, u, c, ch, prompts, claims)
	if err != nil {
		return nil, err
	}
	var keep []*PromptView
	tagKey := archive.TagKey(q.Tag)
	for _, v := range all {
		if q.Tag != "" && !promptHasTag(v.Prompt, tagKey) {
			continue
		}
		switch q.Status {
		case PromptsClaimed:
			if len(v.Claims) == 0 {
				continue
			}
		case PromptsUnclaimed:
			if len(v.Claims) > 0 {
				continue
			}
		case PromptsFilled:
			if len(v.Fills) == 0 {
				continue
			}
		case PromptsUnfilled:
			if len(v.Fills) > 0 {
				continue
			}
		}
		keep = append(keep, v)
	}
	if q.Sort == "newest" {
		slices.Reverse(keep)
	}
	pg := &PromptsPage{Collection: c, Challenge: ch, Open: s.promptsClosed(ch) == nil, Maintainer: u != nil && c.IsMaintainer(u.ID),
		Query: q, Total: len(keep), Page: q.Page, Prompts: []*PromptView{}}
	pg.CanPost = u != nil && pg.Open
	pg.Pages = (len(keep) + PromptsPerPage - 1) / PromptsPerPage
	if from := (q.Page - 1) * PromptsPerPage; from < len(keep) {
		pg.Prompts = keep[from:min(from+PromptsPerPage, len(keep))]
	}
	return pg, nil
}

func promptHasTag(p *archive.Prompt, key string) bool {
	for _, names := range p.Tags {
		for _, n := range names {
			if archive.TagKey(n) == key {
				return true
			}
		}
	}
	return false
}

// Prompt is one prompt of the named meme as u sees it.
func (s *Site) Prompt(ctx context.Context, u *archive.User, name string, id int64) (*PromptView, error) {
	c, ch, p, err := s.memePrompt(ctx, name, id)
	if err != nil {
		return nil, err
	}
	claims, err := s.store.CollectionClaims(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	vs, err := s.promptViews(ctx, u, c, ch, []*archive.Prompt{p}, claims)
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// MyClaim is one of a user's claims with its prompt and collection.
type MyClaim struct {
	ClaimView
	Prompt *PromptView
}

// UserClaims lists u's own claims, newest first, each with its prompt
// (as u sees it).
func (s *Site) UserClaims(ctx context.Context, u *archive.User) ([]MyClaim, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	cls, err := s.store.UserClaims(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := []MyClaim{}
	for _, cl := range cls {
		c, err := s.store.CollectionByID(ctx, cl.CollectionID)
		if err != nil {
			continue
		}
		ch, err := s.store.Challenge(ctx, c.ID)
		if err != nil {
			continue
		}
		p, err := s.store.Prompt(ctx, cl.PromptID)
		if err != nil {
			continue
		}
		vs, err := s.promptViews(ctx, u, c, ch, []*archive.Prompt{p}, []archive.Claim{cl})
		if err != nil {
			return nil, err
		}
		out = append(out, MyClaim{ClaimView: vs[0].Claims[0], Prompt: vs[0]})
	}
	return out, nil
}

// OpenClaims lists u's claims no work fills yet (the work form's
// choice), newest first.
func (s *Site) OpenClaims(ctx context.Context, u *archive.User) ([]MyClaim, error) {
	all, err := s.UserClaims(ctx, u)
	if err != nil {
		return nil, err
	}
	out := []MyClaim{}
	for _, m := range all {
		if m.Claim.WorkID == 0 {
			out = append(out, m)
		}
	}
	return out, nil
}

// WorkClaims lists the ids of the claims a work fills.
func (s *Site) WorkClaims(ctx context.Context, workID int64) ([]int64, error) {
	cls, err := s.store.WorkClaims(ctx, workID)
	if err != nil {
		return nil, err
	}
	out := []int64{}
	for _, c := range cls {
		out = append(out, c.ID)
	}
	return out, nil
}

// claimPlan is the claims a work will fill, checked before anything is
// written.
type claimPlan struct {
	ids []int64
}

// planClaims checks the claims named for a work: each is a claim of one
// of the work's creators (u for a new work), on a prompt of a collection
// the work is in or joins (cur and plan), filled by no other work.
func (s *Site) planClaims(ctx context.Context, w *archive.Work, cur []archive.CollectionItem, plan *collectionPlan, ids []int64) (*claimPlan, error) {
	in := map[int64]bool{}
	if plan == nil && w.ID != 0 {
		items, err := s.store.WorkCollections(ctx, w.ID)
		if err != nil {
			return nil, err
		}
		cur = items
	}
	for _, it := range cur {
		if it.State == archive.ItemApproved || it.State == archive.ItemPending {
			in[it.CollectionID] = true
		}
	}
	if plan != nil {
		for _, c := range plan.remove {
			delete(in, c)
		}
		for _, it := range plan.add {
			if it.state == archive.ItemApproved || it.state == archive.ItemPending {
				in[it.collection] = true
			}
		}
	}
	out := &claimPlan{ids: []int64{}}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(out.ids) >= archive.MaxClaimsPerWork {
			return nil, archive.Invalid("claims", "a work fills at most %d claims", archive.MaxClaimsPerWork)
		}
		cl, err := s.store.Claim(ctx, id)
		if errors.Is(err, archive.ErrNotFound) {
			return nil, archive.Invalid("claims", "there is no claim %d", id)
		}
		if err != nil {
			return nil, err
		}
		if !w.HasCreatorUser(cl.UserID) {
			return nil, archive.Invalid("claims", "claim %d is not yours: only its claimer's work fills a claim", id)
		}
		if !in[cl.CollectionID] {
			c, err := s.store.CollectionByID(ctx, cl.CollectionID)
			if err != nil {
				return nil, err
			}
			return nil, archive.Invalid("claims", "claim %d is on a prompt of %s: add the work to that collection to fill it", id, c.Name)
		}
		if cl.WorkID != 0 && cl.WorkID != w.ID {
			return nil, archive.Invalid("claims", "claim %d is filled by another work already", id)
		}
		out.ids = append(out.ids, id)
	}
	return out, nil
}

// applyClaims stores a checked claim plan.
func (s *Site) applyClaims(ctx context.Context, workID int64, p *claimPlan) error {
	err := s.store.SetWorkFills(ctx, workID, p.ids, s.Now().Truncate(time.Second))
	if errors.Is(err, archive.ErrConflict) {
		return archive.Explain(archive.ErrConflict, "a claim named is filled by another work already")
	}
	return err
}

// notifyFills tells the posters of the prompts a just-public work fills
// (inbox, and mail when their preferences allow), once each; an
// anonymous work's creators stay "Anonymous".
func (s *Site) notifyFills(ctx context.Context, w *archive.Work) {
	if w.Draft || w.Hidden || w.Unrevealed || w.AwaitingReview {
		return
	}
	ctx = context.WithoutCancel(ctx)
	log := s.logger().With("work", w.ID)
	cls, err := s.store.WorkClaims(ctx, w.ID)
	if err != nil {
		log.Warn("notify fills", "err", err)
		return
	}
	shown := w
	if w.Anonymous {
		shown = anonymized(w, false)
	}
	var entries []*store.InboxEntry
	told := map[int64]bool{}
	for _, cl := range cls {
		p, err := s.store.Prompt(ctx, cl.PromptID)
		if err != nil || p.UserID == 0 || w.HasCreatorUser(p.UserID) || told[p.UserID] {
			continue
		}
		told[p.UserID] = true
		entries = append(entries, &store.InboxEntry{UserID: p.UserID, Kind: store.InboxPromptFilled, WorkID: w.ID,
			CollectionID: cl.CollectionID, Actor: byline(shown), WorkTitle: w.Title, CreatedAt: s.Now().Truncate(time.Second)})
	}
	s.tellOnce(ctx, log, "notify fills", entries, func(u *archive.User, e *store.InboxEntry) (mail.Message, bool) {
		c, err := s.store.CollectionByID(ctx, e.CollectionID)
		if err != nil {
			return mail.Message{}, false
		}
		return s.fillMail(u, shown, c), true
	})
}

// fillMail tells u that w (as u may see it) fills their prompt in c.
func (s *Site) fillMail(u *archive.User, w *archive.Work, c *archive.Collection) mail.Message {
	by := byline(w)
	link := fmt.Sprintf("%s/works/%d", s.BaseURL, w.ID)
	prompts := fmt.Sprintf("%s/collections/%s/prompts", s.BaseURL, url.PathEscape(c.Name))
	prefs := s.BaseURL + "/account/preferences"
	text := fmt.Sprintf("Hello %s,\n\n%s filled your prompt in %s with “%s”.\n\nRead it: %s\nThe prompts: %s\n"+
		"Turn off these e-mails: %s\n", u.Name, by, c.Title, w.Title, link, prompts, prefs)
	esc := html.EscapeString
	body := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s filled your prompt in <a href="%s">%s</a> with “<a href="%s">%s</a>”.</p>
<hr><p><a href="%s">Turn off these e-mails</a></p>
</body></html>`, esc(u.Name), esc(by), esc(prompts), esc(c.Title), esc(link), esc(w.Title), esc(prefs))
	return mail.Message{To: u.Email, Subject: fmt.Sprintf("[%s] Your prompt in %s was filled", s.Name, c.Title), Text: text, HTML: body}
}
