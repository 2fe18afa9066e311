package site

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/mail"
	"quire/internal/matching"
	"quire/internal/store"
)

// Gift exchanges: a collection's challenge, its sign-ups, matching and
// assignments. Maintainers set the rules and run the exchange;
// participants sign up while the window is open; after matching and
// sending, each giver sees their recipient's request and posts a gift to
// the collection, which fulfils the assignment.

// ChallengeView is a collection with its challenge (nil: none) and, for a
// signed-in reader, their own sign-up (nil: none).
type ChallengeView struct {
	Collection *archive.Collection
	Challenge  *archive.Challenge
	Mine       *archive.Signup
	Open       bool
	Maintainer bool
}

// Challenge loads a collection's challenge as u sees it.
func (s *Site) Challenge(ctx context.Context, u *archive.User, name string) (*ChallengeView, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	v := &ChallengeView{Collection: c, Maintainer: u != nil && c.IsMaintainer(u.ID)}
	ch, err := s.store.Challenge(ctx, c.ID)
	if errors.Is(err, archive.ErrNotFound) {
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	v.Challenge, v.Open = ch, ch.SignupsOpen(s.Now())
	if u != nil {
		if mine, err := s.store.SignupOf(ctx, c.ID, u.ID); err == nil {
			v.Mine = mine
		} else if !errors.Is(err, archive.ErrNotFound) {
			return nil, err
		}
	}
	return v, nil
}

// exchange loads a collection's gift exchange (a 404 with a message when
// the collection runs none).
func (s *Site) exchange(ctx context.Context, c *archive.Collection) (*archive.Challenge, error) {
	ch, err := s.store.Challenge(ctx, c.ID)
	if errors.Is(err, archive.ErrNotFound) || err == nil && ch.Kind != archive.GiftExchange {
		return nil, archive.Explain(archive.ErrNotFound, "%s runs no gift exchange", c.Title)
	}
	return ch, err
}

// SetChallenge sets a collection's challenge (maintainers). The kind
// can't change once there are sign-ups, nor the rules once matching ran.
func (s *Site) SetChallenge(ctx context.Context, u *archive.User, name string, ch archive.Challenge) (*archive.Challenge, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, err
	}
	if ch.Kind == archive.PromptMeme && ch.Settings.Tags == nil {
		ch.Settings.Tags = archive.DefaultPromptMemeSettings().Tags
	}
	if err := archive.ValidateChallenge(&ch); err != nil {
		return nil, err
	}
	now := s.Now().Truncate(time.Second)
	old, err := s.store.Challenge(ctx, c.ID)
	switch {
	case errors.Is(err, archive.ErrNotFound):
		ch.CreatedAt = now
	case err != nil:
		return nil, err
	default:
		if !old.MatchedAt.IsZero() {
			return nil, archive.Explain(archive.ErrConflict, "matching has run: the challenge's rules can't change any more")
		}
		if old.Kind != ch.Kind {
			if sus, err := s.store.Signups(ctx, c.ID); err != nil {
				return nil, err
			} else if len(sus) > 0 {
				return nil, archive.Invalid("kind", "can't change: %d people have signed up", len(sus))
			}
			if ps, err := s.store.MemePrompts(ctx, c.ID); err != nil {
				return nil, err
			} else if len(ps) > 0 {
				return nil, archive.Invalid("kind", "can't change: %d prompts have been posted", len(ps))
			}
		}
		ch.CreatedAt = old.CreatedAt
	}
	ch.CollectionID, ch.UpdatedAt = c.ID, now
	if err := s.store.PutChallenge(ctx, &ch); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "challenge_settings", collectionTarget(c.Name), "")
	return s.store.Challenge(ctx, c.ID)
}

// SignUp saves u's sign-up to a gift exchange (a new one, or an edit of
// theirs) while sign-ups are open.
func (s *Site) SignUp(ctx context.Context, u *archive.User, name string, in archive.SignupInput) (*archive.Signup, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	ch, err := s.exchange(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.signupsOpen(ch); err != nil {
		return nil, err
	}
	reqs, offs, err := archive.PrepareSignup(&ch.Settings, in)
	if err != nil {
		return nil, err
	}
	now := s.Now().Truncate(time.Second)
	su := &archive.Signup{CollectionID: c.ID, UserID: u.ID, Requests: reqs, Offers: offs, CreatedAt: now, UpdatedAt: now}
	if err := s.store.SaveSignup(ctx, su); err != nil {
		return nil, err
	}
	return s.store.SignupOf(ctx, c.ID, u.ID)
}

func (s *Site) signupsOpen(ch *archive.Challenge) error {
	now := s.Now()
	if !ch.SignupsOpenAt.IsZero() && now.Before(ch.SignupsOpenAt) {
		return archive.Invalid("signups", "sign-ups open at %s", ch.SignupsOpenAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if !ch.SignupsCloseAt.IsZero() && !now.Before(ch.SignupsCloseAt) {
		return archive.Invalid("signups", "sign-ups closed at %s", ch.SignupsCloseAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

// EditSignup changes the sign-up with the id (its participant's, while
// sign-ups are open).
func (s *Site) EditSignup(ctx context.Context, u *archive.User, name string, id int64, in archive.SignupInput) (*archive.Signup, error) {
	if _, err := s.ownSignup(ctx, u, name, id); err != nil {
		return nil, err
	}
	return s.SignUp(ctx, u, name, in)
}

func (s *Site) ownSignup(ctx context.Context, u *archive.User, name string, id int64) (*archive.Signup, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	su, err := s.store.Signup(ctx, id)
	if err != nil || su.CollectionID != c.ID {
		return nil, archive.Explain(archive.ErrNotFound, "no sign-up %d in %s", id, c.Title)
	}
	if su.UserID != u.ID {
		return nil, archive.Explain(archive.ErrForbidden, "only its participant may change a sign-up")
	}
	return su, nil
}

// WithdrawSignup removes u's sign-up while sign-ups are open (id 0: u's
// own, whatever its id).
func (s *Site) WithdrawSignup(ctx context.Context, u *archive.User, name string, id int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return err
	}
	ch, err := s.exchange(ctx, c)
	if err != nil {
		return err
	}
	if id != 0 {
		if su, err := s.store.Signup(ctx, id); err == nil && su.CollectionID == c.ID && su.UserID != u.ID && c.IsMaintainer(u.ID) {
			return s.removeSignup(ctx, u, c, su)
		}
		if _, err := s.ownSignup(ctx, u, name, id); err != nil {
			return err
		}
	}
	if !ch.SignupsCloseAt.IsZero() && !s.Now().Before(ch.SignupsCloseAt) {
		return archive.Invalid("signups", "sign-ups closed at %s: ask the maintainers to take you out", ch.SignupsCloseAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if err := s.store.DeleteSignup(ctx, c.ID, u.ID); err != nil {
		if errors.Is(err, archive.ErrNotFound) {
			return archive.Explain(archive.ErrNotFound, "you have not signed up to %s", c.Title)
		}
		return err
	}
	return nil
}

// removeSignup is a maintainer taking a participant out, at any time:
// before matching their sign-up just goes; after, as AO3 does, their
// assignment as a recipient goes with it and the assignments they give
// lose their giver and wait for a pinch-hitter. Refused (409, nothing
// written) once one of those gifts is posted.
func (s *Site) removeSignup(ctx context.Context, u *archive.User, c *archive.Collection, su *archive.Signup) error {
	if err := s.store.RemoveSignup(ctx, c.ID, su.UserID); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return archive.Explain(archive.ErrConflict, "%s's gift is posted (or the gift for them is): their sign-up stays", su.UserName)
		}
		return err
	}
	s.audit(ctx, u, "challenge_signup_remove", collectionTarget(c.Name), su.UserName)
	return nil
}

// RemoveSignup is a maintainer taking the sign-up with the id out of the
// exchange (see removeSignup).
func (s *Site) RemoveSignup(ctx context.Context, u *archive.User, name string, id int64) error {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return err
	}
	if _, err := s.exchange(ctx, c); err != nil {
		return err
	}
	su, err := s.store.Signup(ctx, id)
	if err != nil || su.CollectionID != c.ID {
		return archive.Explain(archive.ErrNotFound, "no sign-up %d in %s", id, c.Title)
	}
	return s.removeSignup(ctx, u, c, su)
}

// VolunteerPinchHit puts u on a gift exchange's pinch-hit list (join) or
// takes them off: anyone logged in may volunteer, signed up or not.
func (s *Site) VolunteerPinchHit(ctx context.Context, u *archive.User, name string, join bool) error {
	if u == nil {
		return archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return err
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return err
	}
	if _, err := s.exchange(ctx, c); err != nil {
		return err
	}
	if !join {
		if err := s.store.RemovePinchHitter(ctx, c.ID, u.ID); errors.Is(err, archive.ErrNotFound) {
			return archive.Explain(archive.ErrNotFound, "you are not on the pinch-hit list of %s", c.Title)
		} else if err != nil {
			return err
		}
		return nil
	}
	if err := s.store.AddPinchHitter(ctx, c.ID, u.ID, s.Now().Truncate(time.Second)); errors.Is(err, archive.ErrConflict) {
		return archive.Explain(archive.ErrConflict, "you are on the pinch-hit list of %s already", c.Title)
	} else if err != nil {
		return err
	}
	return nil
}

// IsPinchHitter reports whether u volunteers to pinch-hit in the exchange.
func (s *Site) IsPinchHitter(ctx context.Context, u *archive.User, c *archive.Collection) bool {
	if u == nil {
		return false
	}
	ps, err := s.store.PinchHitters(ctx, c.ID)
	if err != nil {
		return false
	}
	for _, p := range ps {
		if p.UserID == u.ID {
			return true
		}
	}
	return false
}

// PinchHitters lists a gift exchange's volunteers (maintainers).
func (s *Site) PinchHitters(ctx context.Context, u *archive.User, name string) ([]archive.PinchHitter, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.exchange(ctx, c); err != nil {
		return nil, err
	}
	return s.store.PinchHitters(ctx, c.ID)
}

// Signups lists a gift exchange's sign-ups: all of them for its
// maintainers, the reader's own for anyone else.
func (s *Site) Signups(ctx context.Context, u *archive.User, name string) ([]*archive.Signup, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	if _, err := s.exchange(ctx, c); err != nil {
		return nil, err
	}
	if c.IsMaintainer(u.ID) {
		return s.store.Signups(ctx, c.ID)
	}
	mine, err := s.store.SignupOf(ctx, c.ID, u.ID)
	if errors.Is(err, archive.ErrNotFound) {
		return []*archive.Signup{}, nil
	}
	if err != nil {
		return nil, err
	}
	return []*archive.Signup{mine}, nil
}

// TagCount is how many requests and offers name a tag.
type TagCount struct {
	Type     archive.TagType
	Name     string
	Requests int
	Offers   int
}

// SignupSummary is the maintainers' overview of a gift exchange.
type SignupSummary struct {
	Signups int
	// Tags by type, most requested first; AnyRequests and AnyOffers count
	// the prompts that leave a type open.
	Tags        []TagCount
	AnyRequests map[archive.TagType]int
	AnyOffers   map[archive.TagType]int
}

// ExchangeSummary counts, per tag, the requests and offers naming it
// (maintainers).
func (s *Site) ExchangeSummary(ctx context.Context, u *archive.User, name string) (*SignupSummary, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.exchange(ctx, c); err != nil {
		return nil, err
	}
	sus, err := s.store.Signups(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	sum := &SignupSummary{Signups: len(sus), AnyRequests: map[archive.TagType]int{}, AnyOffers: map[archive.TagType]int{}}
	type key struct {
		t archive.TagType
		k string
	}
	idx := map[key]int{}
	count := func(p *archive.Prompt, offer bool) {
		for _, t := range p.Any {
			if offer {
				sum.AnyOffers[t]++
			} else {
				sum.AnyRequests[t]++
			}
		}
		for t, names := range p.Tags {
			for _, n := range names {
				k := key{t, archive.TagKey(n)}
				i, ok := idx[k]
				if !ok {
					i = len(sum.Tags)
					idx[k] = i
					sum.Tags = append(sum.Tags, TagCount{Type: t, Name: n})
				}
				if offer {
					sum.Tags[i].Offers++
				} else {
					sum.Tags[i].Requests++
				}
			}
		}
	}
	for _, su := range sus {
		for i := range su.Requests {
			count(&su.Requests[i], false)
		}
		for i := range su.Offers {
			count(&su.Offers[i], true)
		}
	}
	order := map[archive.TagType]int{}
	for i, t := range archive.ChallengeTagTypes {
		order[t] = i
	}
	sort.SliceStable(sum.Tags, func(i, j int) bool {
		a, b := sum.Tags[i], sum.Tags[j]
		if a.Type != b.Type {
			return order[a.Type] < order[b.Type]
		}
		if a.Requests != b.Requests {
			return a.Requests > b.Requests
		}
		return archive.TagKey(a.Name) < archive.TagKey(b.Name)
	})
	return sum, nil
}

// exchangeGraph turns sign-ups into the matching package's terms: tags
// interned per type through the wrangled graph (a synonym counts as its
// canonical tag, as AO3's sign-ups name only canonical tags; a name the
// archive does not know compares by its key), the settings' match rules.
// Meta and sub tags stay distinct: a request for a meta tag is not
// satisfied by an offer of one of its sub tags, nor the reverse (AO3
// compares tags, not their families).
func (s *Site) exchangeGraph(ch *archive.Challenge, sus []*archive.Signup) ([]matching.Signup, matching.Rules) {
	g := s.Index.Graph()
	canon := func(t archive.TagType, name string) string {
		if g != nil {
			if ns := g.Lookup(t, name); len(ns) > 0 {
				return fmt.Sprintf("#%d", g.FilterTag(ns[0].ID))
			}
		}
		return archive.TagKey(name)
	}
	types := archive.ChallengeTagTypes
	rules := make(matching.Rules, len(types))
	for i, t := range types {
		m := int(ch.Settings.Rule(t).Match)
		if m == archive.MatchAll {
			m = matching.All
		}
		rules[i] = m
	}
	intern := make([]map[string]int32, len(types))
	for i := range intern {
		intern[i] = map[string]int32{}
	}
	prompt := func(p *archive.Prompt) matching.Prompt {
		mp := matching.Prompt{Tags: make([][]int32, len(types)), Any: make([]bool, len(types))}
		for i, t := range types {
			mp.Any[i] = p.IsAny(t)
			for _, n := range p.Tags[t] {
				k := canon(t, n)
				id, ok := intern[i][k]
				if !ok {
					id = int32(len(intern[i]))
					intern[i][k] = id
				}
				mp.Tags[i] = append(mp.Tags[i], id)
			}
		}
		return mp
	}
	out := make([]matching.Signup, len(sus))
	for i, su := range sus {
		for j := range su.Requests {
			out[i].Requests = append(out[i].Requests, prompt(&su.Requests[j]))
		}
		for j := range su.Offers {
			out[i].Offers = append(out[i].Offers, prompt(&su.Offers[j]))
		}
	}
	return out, rules
}

// MatchResult is what running matching did.
type MatchResult struct {
	Matched   int                 `json:"matched"`
	Unmatched []archive.Unmatched `json:"unmatched"`
	Seconds   float64             `json:"seconds"`
}

// Why-texts for those matching leaves out.
const (
	whyNoGiver       = "no one's offers match their requests"
	whyGiversTaken   = "everyone who could write for them writes for someone else"
	whyNoRecipient   = "their offers match no one's requests"
	whyRecipientsMet = "everyone they could write for has a giver"
)

// unmatched lists, by name, the participants without a giver or without
// a recipient, with why.
func unmatched(sus []*archive.Signup, g *matching.Graph, res matching.Result) []archive.Unmatched {
	canGive := make([]bool, len(sus))
	for _, gs := range g.Givers {
		for _, gv := range gs {
			canGive[gv] = true
		}
	}
	out := []archive.Unmatched{}
	for i, su := range sus {
		if res.Giver[i] < 0 {
			why := whyGiversTaken
			if len(g.Givers[i]) == 0 {
				why = whyNoGiver
			}
			out = append(out, archive.Unmatched{User: su.UserName, Why: "gets no gift: " + why})
		}
		if res.Recipient[i] < 0 {
			why := whyRecipientsMet
			if !canGive[i] {
				why = whyNoRecipient
			}
			out = append(out, archive.Unmatched{User: su.UserName, Why: "gives no gift: " + why})
		}
	}
	return out
}

// RunMatching matches a closed gift exchange's givers with recipients (a
// maximum matching) and stores an assignment for every participant, with
// no giver for those nobody can write for (pinch-hits). It runs once.
func (s *Site) RunMatching(ctx context.Context, u *archive.User, name string) (*MatchResult, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, err
	}
	ch, err := s.exchange(ctx, c)
	if err != nil {
		return nil, err
	}
	if !ch.MatchedAt.IsZero() {
		return nil, archive.Explain(archive.ErrConflict, "matching ran already (%s); change assignments by hand", ch.MatchedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if ch.SignupsCloseAt.IsZero() || s.Now().Before(ch.SignupsCloseAt) {
		return nil, archive.Invalid("signups", "close sign-ups before matching (set a sign-up close time in the past)")
	}
	sus, err := s.store.Signups(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if len(sus) < 2 {
		return nil, archive.Invalid("signups", "an exchange needs at least two sign-ups; it has %d", len(sus))
	}
	start := time.Now()
	ms, rules := s.exchangeGraph(ch, sus)
	g := matching.Build(ms, rules)
	res := matching.Maximum(g, nil)
	as := make([]archive.Assignment, 0, len(sus))
	for r, su := range sus {
		a := archive.Assignment{RecipientID: su.UserID}
		if gv := res.Giver[r]; gv >= 0 {
			a.GiverID = sus[gv].UserID
			if qi, oi := matching.Pair(ms, rules, int(gv), r); qi >= 0 {
				a.RequestID, a.OfferID = su.Requests[qi].ID, sus[gv].Offers[oi].ID
			}
		}
		as = append(as, a)
	}
	out := &MatchResult{Matched: res.Matched, Unmatched: unmatched(sus, g, res), Seconds: time.Since(start).Seconds()}
	if err := s.store.SaveMatching(ctx, c.ID, as, s.Now().Truncate(time.Second)); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, archive.Explain(archive.ErrConflict, "matching ran already; change assignments by hand")
		}
		return nil, err
	}
	s.audit(ctx, u, "challenge_matching", collectionTarget(c.Name), fmt.Sprintf("%d of %d matched", res.Matched, len(sus)))
	return out, nil
}

// AssignmentView is an assignment with what its pages show.
type AssignmentView struct {
	archive.Assignment
	Collection *archive.Collection
	Request    *archive.Prompt
	// Offer is the giver's offer that satisfies the request (nil: none
	// recorded, e.g. a pinch-hitter without a matching offer).
	Offer *archive.Prompt
	// Status: "unassigned", "defaulted", "posted", "sent" or "not sent".
	Status string
}

func assignmentStatus(a *archive.Assignment) string {
	switch {
	case a.FulfilledBy != 0:
		return "posted"
	case !a.DefaultedAt.IsZero():
		return "defaulted"
	case a.GiverID == 0:
		return "unassigned"
	case !a.SentAt.IsZero():
		return "sent"
	}
	return "not sent"
}

// ExchangeState is the maintainers' page of a matched exchange.
type ExchangeState struct {
	Collection  *archive.Collection
	Challenge   *archive.Challenge
	Assignments []AssignmentView
	Unmatched   []archive.Unmatched
	// NotPosted lists the assignments sent whose giver has not posted nor
	// defaulted.
	NotPosted []AssignmentView
	// NeedPinchHit lists the recipients without a giver: left out by
	// matching, their giver defaulted or removed; PinchHitters the
	// volunteers to choose from.
	NeedPinchHit []AssignmentView
	PinchHitters []archive.PinchHitter
}

// Exchange loads the assignments of a gift exchange, with those left out
// and who has not posted (maintainers).
func (s *Site) Exchange(ctx context.Context, u *archive.User, name string) (*ExchangeState, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, err
	}
	ch, err := s.exchange(ctx, c)
	if err != nil {
		return nil, err
	}
	st := &ExchangeState{Collection: c, Challenge: ch, Unmatched: []archive.Unmatched{}}
	as, err := s.store.Assignments(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	requests := map[int64]*archive.Prompt{}
	if len(as) > 0 {
		sus, err := s.store.Signups(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, su := range sus {
			for i := range su.Requests {
				requests[su.Requests[i].ID] = &su.Requests[i]
			}
			for i := range su.Offers {
				requests[su.Offers[i].ID] = &su.Offers[i]
			}
		}
		// Who is left out, and why, as the assignments now stand.
		ms, rules := s.exchangeGraph(ch, sus)
		g := matching.Build(ms, rules)
		res := matching.Result{Giver: make([]int32, len(sus)), Recipient: make([]int32, len(sus))}
		pos := map[int64]int{}
		for i, su := range sus {
			pos[su.UserID] = i
			res.Giver[i], res.Recipient[i] = -1, -1
		}
		for _, a := range as {
			r, okR := pos[a.RecipientID]
			gv, okG := pos[a.GiverID]
			if okR && a.GiverID != 0 && a.DefaultedAt.IsZero() {
				res.Giver[r] = 0
			}
			if okG && a.DefaultedAt.IsZero() {
				res.Recipient[gv] = 0
			}
		}
		st.Unmatched = unmatched(sus, g, res)
	}
	for _, a := range as {
		v := AssignmentView{Assignment: a, Collection: c, Request: requests[a.RequestID], Status: assignmentStatus(&a)}
		if a.OfferID != 0 {
			v.Offer = requests[a.OfferID]
		}
		st.Assignments = append(st.Assignments, v)
		if v.Status == "sent" {
			st.NotPosted = append(st.NotPosted, v)
		}
		if v.Status == "unassigned" || v.Status == "defaulted" {
			st.NeedPinchHit = append(st.NeedPinchHit, v)
		}
	}
	if st.PinchHitters, err = s.store.PinchHitters(ctx, c.ID); err != nil {
		return nil, err
	}
	return st, nil
}

// maintainedAssignment loads an assignment of the named collection for its
// maintainers.
func (s *Site) maintainedAssignment(ctx context.Context, u *archive.User, name string, id int64) (*archive.Collection, *archive.Assignment, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.store.Assignment(ctx, id)
	if err != nil || a.CollectionID != c.ID {
		return nil, nil, archive.Explain(archive.ErrNotFound, "no assignment %d in %s", id, c.Title)
	}
	return c, a, nil
}

// SetAssignmentGiver gives an assignment a giver by hand (maintainers):
// a swap before sending, or a pinch-hitter after (who is told at once).
// giverName "" takes the giver off.
func (s *Site) SetAssignmentGiver(ctx context.Context, u *archive.User, name string, id int64, giverName string) (*AssignmentView, error) {
	c, a, err := s.maintainedAssignment(ctx, u, name, id)
	if err != nil {
		return nil, err
	}
	if a.FulfilledBy != 0 {
		return nil, archive.Explain(archive.ErrConflict, "the gift for %s is posted already", a.Recipient)
	}
	var giver *archive.User
	if giverName = strings.TrimSpace(giverName); giverName != "" {
		if giver, err = s.store.UserByName(ctx, giverName); err != nil {
			return nil, archive.Invalid("giver", "there is no user named %q", giverName)
		}
		if giver.ID == a.RecipientID {
			return nil, archive.Invalid("giver", "%s can't write their own gift", giver.Name)
		}
	}
	ch, err := s.exchange(ctx, c)
	if err != nil {
		return nil, err
	}
	wasSent := !a.SentAt.IsZero() || !ch.SentAt.IsZero()
	now := s.Now().Truncate(time.Second)
	a.GiverID, a.DefaultedAt, a.UpdatedAt = 0, time.Time{}, now
	a.SentAt = time.Time{}
	if giver != nil {
		a.GiverID = giver.ID
		a.PinchHit = wasSent
		a.RequestID, a.OfferID = s.pairFor(ctx, c, ch, giver.ID, a.RecipientID)
	}
	if err := s.store.UpdateAssignment(ctx, a); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "challenge_assign", collectionTarget(c.Name), fmt.Sprintf("%s gives to %s", giverName, a.Recipient))
	if giver != nil && wasSent {
		// A pinch-hit: the exchange's assignments went out, so this one
		// goes now.
		if _, err := s.sendAssignments(ctx, c, ch, []archive.Assignment{*a}); err != nil {
			return nil, err
		}
	}
	a, err = s.store.Assignment(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return s.assignmentView(ctx, c, a), nil
}

// pairFor is the first of the recipient's requests the giver's offers
// satisfy and that offer, else the recipient's first request and no offer
// (a pinch-hitter may have no sign-up, or offer something else).
func (s *Site) pairFor(ctx context.Context, c *archive.Collection, ch *archive.Challenge, giverID, recipientID int64) (request, offer int64) {
	rs, err := s.store.SignupOf(ctx, c.ID, recipientID)
	if err != nil || len(rs.Requests) == 0 {
		return 0, 0
	}
	if gs, err := s.store.SignupOf(ctx, c.ID, giverID); err == nil {
		ms, rules := s.exchangeGraph(ch, []*archive.Signup{gs, rs})
		if qi, oi := matching.Pair(ms, rules, 0, 1); qi >= 0 {
			return rs.Requests[qi].ID, gs.Offers[oi].ID
		}
	}
	return rs.Requests[0].ID, 0
}

func (s *Site) assignmentView(ctx context.Context, c *archive.Collection, a *archive.Assignment) *AssignmentView {
	v := &AssignmentView{Assignment: *a, Collection: c, Status: assignmentStatus(a)}
	if a.RequestID != 0 {
		if p, err := s.store.Prompt(ctx, a.RequestID); err == nil {
			v.Request = p
		}
	}
	if a.OfferID != 0 {
		if p, err := s.store.Prompt(ctx, a.OfferID); err == nil {
			v.Offer = p
		}
	}
	return v
}

// SendAssignments sends every assignment not sent yet (maintainers): each
// giver gets an inbox notice and a mail with their recipient's request.
func (s *Site) SendAssignments(ctx context.Context, u *archive.User, name string) (int, error) {
	c, err := s.maintained(ctx, u, name, false)
	if err != nil {
		return 0, err
	}
	ch, err := s.exchange(ctx, c)
	if err != nil {
		return 0, err
	}
	if ch.MatchedAt.IsZero() {
		return 0, archive.Invalid("assignments", "run matching first")
	}
	sent, err := s.store.MarkAssignmentsSent(ctx, c.ID, s.Now().Truncate(time.Second))
	if err != nil {
		return 0, err
	}
	if len(sent) == 0 {
		return 0, archive.Explain(archive.ErrConflict, "every assignment with a giver has been sent already")
	}
	if _, err := s.sendAssignments(ctx, c, ch, sent); err != nil {
		return 0, err
	}
	s.audit(ctx, u, "challenge_send", collectionTarget(c.Name), fmt.Sprintf("%d assignments", len(sent)))
	return len(sent), nil
}

// sendAssignments tells each assignment's giver (inbox and mail; the
// mail is queued in the job table) and stamps it sent.
func (s *Site) sendAssignments(ctx context.Context, c *archive.Collection, ch *archive.Challenge, as []archive.Assignment) (int, error) {
	now := s.Now().Truncate(time.Second)
	var entries []*store.InboxEntry
	for i := range as {
		a := &as[i]
		if a.GiverID == 0 {
			continue
		}
		if a.SentAt.IsZero() {
			a.SentAt, a.UpdatedAt = now, now
			if err := s.store.UpdateAssignment(ctx, a); err != nil {
				return 0, err
			}
		}
		entries = append(entries, &store.InboxEntry{UserID: a.GiverID, Kind: store.InboxAssignment, CollectionID: c.ID,
			Actor: c.Title, WorkTitle: a.Recipient, CreatedAt: now})
	}
	if err := s.store.AddInboxEntries(ctx, entries); err != nil {
		return 0, err
	}
	for i := range as {
		a := &as[i]
		if a.GiverID == 0 {
			continue
		}
		giver, err := s.store.UserByID(ctx, a.GiverID)
		if err != nil || giver.Email == "" || giver.Banned || !giver.Preferences.EmailNotify {
			continue // e-mail is the giver's choice, as for every notice
		}
		v := s.assignmentView(ctx, c, a)
		if err := mail.Queue(ctx, s.Jobs, s.assignmentMail(giver, v)); err != nil {
			s.logger().Warn("assignment mail", "user", giver.ID, "err", err)
		}
	}
	return len(entries), nil
}

// assignmentMail tells a giver whom they write for and what was asked.
func (s *Site) assignmentMail(giver *archive.User, v *AssignmentView) mail.Message {
	link := s.BaseURL + "/assignments"
	coll := fmt.Sprintf("%s/collections/%s", s.BaseURL, url.PathEscape(v.Collection.Name))
	var req strings.Builder
	if p := v.Request; p != nil {
		writePromptTags(&req, p)
		if p.URL != "" {
			fmt.Fprintf(&req, "Prompt: %s\n", p.URL)
		}
	}
	if p := v.Offer; p != nil {
		req.WriteString("\nYour offer it matches:\n")
		writePromptTags(&req, p)
	}
	text := fmt.Sprintf("Hello %s,\n\nYour assignment for %s: you write a gift for %s.\n\nTheir request:\n%s\n"+
		"Post it to the collection as a gift to %s. The request with its details, and a way to default: %s\nThe collection: %s\n",
		giver.Name, v.Collection.Title, v.Recipient, req.String(), v.Recipient, link, coll)
	esc := html.EscapeString
	detail := ""
	if v.Request != nil && v.Request.Details.HTML != "" {
		detail = "<div>" + v.Request.Details.HTML + "</div>"
	}
	body := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>Your assignment for <a href="%s">%s</a>: you write a gift for <b>%s</b>.</p>
<pre>%s</pre>%s
<p>Post it to the collection as a gift to %s. <a href="%s">Your assignments</a> (the request in full, and a way to default).</p>
</body></html>`, esc(giver.Name), esc(coll), esc(v.Collection.Title), esc(v.Recipient), esc(req.String()), detail, esc(v.Recipient), esc(link))
	return mail.Message{To: giver.Email, Subject: fmt.Sprintf("[%s] Your assignment for %s", s.Name, v.Collection.Title), Text: text, HTML: body}
}

func writePromptTags(b *strings.Builder, p *archive.Prompt) {
	for _, t := range archive.ChallengeTagTypes {
		if p.IsAny(t) {
			fmt.Fprintf(b, "%s: any\n", t.Label())
		} else if len(p.Tags[t]) > 0 {
			fmt.Fprintf(b, "%s: %s\n", t.Label(), strings.Join(p.Tags[t], ", "))
		}
	}
}

// MyAssignments lists the sent assignments u gives, newest first.
func (s *Site) MyAssignments(ctx context.Context, u *archive.User) ([]AssignmentView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	as, err := s.store.GiverAssignments(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := []AssignmentView{}
	colls := map[int64]*archive.Collection{}
	for i := range as {
		a := &as[i]
		if a.SentAt.IsZero() {
			continue // not sent: the giver doesn't know yet
		}
		c := colls[a.CollectionID]
		if c == nil {
			if c, err = s.store.CollectionByID(ctx, a.CollectionID); err != nil {
				continue
			}
			colls[a.CollectionID] = c
		}
		out = append(out, *s.assignmentView(ctx, c, a))
	}
	return out, nil
}

// DefaultAssignment is a giver's "I can't write this": the maintainers
// see the recipient needs a pinch-hitter.
func (s *Site) DefaultAssignment(ctx context.Context, u *archive.User, id int64) (*AssignmentView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	a, err := s.store.Assignment(ctx, id)
	if err != nil || a.GiverID != u.ID || a.SentAt.IsZero() {
		return nil, archive.Explain(archive.ErrNotFound, "you have no assignment %d", id)
	}
	if a.FulfilledBy != 0 {
		return nil, archive.Explain(archive.ErrConflict, "your gift is posted already")
	}
	if !a.DefaultedAt.IsZero() {
		return nil, archive.Explain(archive.ErrConflict, "you defaulted on this assignment already")
	}
	now := s.Now().Truncate(time.Second)
	a.DefaultedAt, a.UpdatedAt = now, now
	if err := s.store.UpdateAssignment(ctx, a); err != nil {
		return nil, err
	}
	c, err := s.store.CollectionByID(ctx, a.CollectionID)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "challenge_default", collectionTarget(c.Name), "for "+a.Recipient)
	s.notifyDefault(ctx, c, a, u)
	return s.assignmentView(ctx, c, a), nil
}

// notifyDefault tells the exchange's maintainers (inbox, and mail when
// they take notices by mail) that a giver defaulted and the recipient
// needs a pinch-hitter.
func (s *Site) notifyDefault(ctx context.Context, c *archive.Collection, a *archive.Assignment, giver *archive.User) {
	now := s.Now().Truncate(time.Second)
	var entries []*store.InboxEntry
	for _, m := range c.Maintainers {
		if m.UserID == giver.ID {
			continue
		}
		entries = append(entries, &store.InboxEntry{UserID: m.UserID, Kind: store.InboxAssignmentDefault, CollectionID: c.ID,
			Actor: giver.Name, WorkTitle: a.Recipient, CreatedAt: now})
	}
	if err := s.store.AddInboxEntries(ctx, entries); err != nil {
		s.logger().Warn("default notice", "collection", c.ID, "err", err)
		return
	}
	if s.Jobs == nil {
		return
	}
	link := fmt.Sprintf("%s/collections/%s/exchange#pinch-hits", s.BaseURL, url.PathEscape(c.Name))
	esc := html.EscapeString
	for _, e := range entries {
		m, err := s.store.UserByID(ctx, e.UserID)
		if err != nil || m.Email == "" || m.Banned || !m.Preferences.EmailNotify {
			continue
		}
		text := fmt.Sprintf("Hello %s,\n\n%s defaulted on their assignment for %s in %s: %s needs a pinch-hitter.\n\nChoose one: %s\n",
			m.Name, giver.Name, a.Recipient, c.Title, a.Recipient, link)
		body := fmt.Sprintf(`<!doctype html><html><body>
<p>Hello %s,</p>
<p>%s defaulted on their assignment for <b>%s</b> in %s: %s needs a pinch-hitter.</p>
<p><a href="%s">Choose one</a></p>
</body></html>`, esc(m.Name), esc(giver.Name), esc(a.Recipient), esc(c.Title), esc(a.Recipient), esc(link))
		msg := mail.Message{To: m.Email, Subject: fmt.Sprintf("[%s] %s defaulted in %s", s.Name, giver.Name, c.Title), Text: text, HTML: body}
		if err := mail.Queue(ctx, s.Jobs, msg); err != nil {
			s.logger().Warn("default mail", "user", m.ID, "err", err)
		}
	}
}

// fulfilAssignments marks fulfilled the sent assignments a posted work
// answers: the work is in the assignment's collection (approved or
// pending), one of its creators is the giver and the recipient is among
// its gifts.
func (s *Site) fulfilAssignments(ctx context.Context, w *archive.Work) {
	if w == nil || w.Draft || len(w.Gifts) == 0 {
		return
	}
	items, err := s.store.WorkCollections(ctx, w.ID)
	if err != nil {
		return
	}
	var in []int64
	for _, it := range items {
		if it.State == archive.ItemApproved || it.State == archive.ItemPending {
			in = append(in, it.CollectionID)
		}
	}
	if len(in) == 0 {
		return
	}
	now := s.Now().Truncate(time.Second)
	for _, cr := range w.Creators {
		if cr.UserID == 0 {
			continue
		}
		as, err := s.store.GiverAssignments(ctx, cr.UserID)
		if err != nil {
			continue
		}
		for i := range as {
			a := &as[i]
			if a.FulfilledBy != 0 || a.SentAt.IsZero() || !slices.Contains(in, a.CollectionID) || !giftTo(w, a.RecipientID) {
				continue
			}
			a.FulfilledBy, a.UpdatedAt = w.ID, now
			if err := s.store.UpdateAssignment(ctx, a); err != nil {
				s.logger().Warn("fulfil assignment", "assignment", a.ID, "err", err)
			}
		}
	}
}

func giftTo(w *archive.Work, userID int64) bool {
	for _, g := range w.Gifts {
		if g.UserID == userID {
			return true
		}
	}
	return false
}
