package dump

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// Challenges, after the collections (and related works): each
// collection's challenge, then the sign-ups with their requests and
// offers, then the assignments.
//
//	{"type":"challenge","collection","kind","signups_open_at","signups_close_at","settings":{…as the API's PUT…},
//	 "matched_at","sent_at","created_at","updated_at"}
//	{"type":"challenge_signup","id","collection","user","requests":[PROMPT],"offers":[PROMPT],"created_at","updated_at"}
//	   PROMPT: {"id","title","tags":{TYPE:[names]},"any":[types],"details","details_source","details_format","url","created_at","updated_at"}
//	{"type":"challenge_assignment","id","collection","recipient","giver" (or null),"request_id","offer_id","pinch_hit",
//	 "sent_at","defaulted_at","fulfilled_by" (a work id or 0),"created_at","updated_at"}
//	{"type":"challenge_pinch_hitter","collection","user","created_at"}

type challengeLine struct {
	Type           string                    `json:"type"`
	Collection     string                    `json:"collection"`
	Kind           string                    `json:"kind"`
	SignupsOpenAt  string                    `json:"signups_open_at"`
	SignupsCloseAt string                    `json:"signups_close_at"`
	Settings       archive.ChallengeSettings `json:"settings"`
	MatchedAt      string                    `json:"matched_at"`
	SentAt         string                    `json:"sent_at"`
	CreatedAt      string                    `json:"created_at"`
	UpdatedAt      string                    `json:"updated_at"`
}

type promptLine struct {
	ID            int64               `json:"id"`
	Title         string              `json:"title"`
	Tags          map[string][]string `json:"tags"`
	Any           []string            `json:"any"`
	Details       string              `json:"details"`
	DetailsSource string              `json:"details_source"`
	DetailsFormat string              `json:"details_format"`
	URL           string              `json:"url"`
	CreatedAt     string              `json:"created_at"`
	UpdatedAt     string              `json:"updated_at"`
}

type signupLine struct {
	Type       string       `json:"type"`
	ID         int64        `json:"id"`
	Collection string       `json:"collection"`
	User       string       `json:"user"`
	Requests   []promptLine `json:"requests"`
	Offers     []promptLine `json:"offers"`
	CreatedAt  string       `json:"created_at"`
	UpdatedAt  string       `json:"updated_at"`
}

type assignmentLine struct {
	Type        string  `json:"type"`
	ID          int64   `json:"id"`
	Collection  string  `json:"collection"`
	Recipient   string  `json:"recipient"`
	Giver       *string `json:"giver"`
	RequestID   int64   `json:"request_id"`
	OfferID     int64   `json:"offer_id"`
	PinchHit    bool    `json:"pinch_hit"`
	SentAt      string  `json:"sent_at"`
	DefaultedAt string  `json:"defaulted_at"`
	FulfilledBy int64   `json:"fulfilled_by"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

type pinchHitterLine struct {
	Type       string `json:"type"`
	Collection string `json:"collection"`
	User       string `json:"user"`
	CreatedAt  string `json:"created_at"`
}

func pinchHitterToLine(dp *store.DumpPinchHitter) pinchHitterLine {
	return pinchHitterLine{Type: "challenge_pinch_hitter", Collection: dp.Collection, User: dp.PinchHitter.Name, CreatedAt: ts(dp.PinchHitter.CreatedAt)}
}

func challengeToLine(dc *store.DumpChallenge) challengeLine {
	c := &dc.Challenge
	return challengeLine{Type: "challenge", Collection: dc.Collection, Kind: c.Kind, SignupsOpenAt: ts(c.SignupsOpenAt),
		SignupsCloseAt: ts(c.SignupsCloseAt), Settings: c.Settings, MatchedAt: ts(c.MatchedAt), SentAt: ts(c.SentAt),
		CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt)}
}

func promptToLine(p *archive.Prompt) promptLine {
	l := promptLine{ID: p.ID, Title: p.Title, Tags: map[string][]string{}, Any: []string{}, Details: p.Details.HTML,
		DetailsSource: p.Details.Source, DetailsFormat: format(p.Details.Format), URL: p.URL,
		CreatedAt: ts(p.CreatedAt), UpdatedAt: ts(p.UpdatedAt)}
	for t, names := range p.Tags {
		l.Tags[string(t)] = names
	}
	for _, t := range p.Any {
		l.Any = append(l.Any, string(t))
	}
	return l
}

func signupToLine(ds *store.DumpSignup) signupLine {
	su := &ds.Signup
	l := signupLine{Type: "challenge_signup", ID: su.ID, Collection: ds.Collection, User: su.UserName,
		Requests: []promptLine{}, Offers: []promptLine{}, CreatedAt: ts(su.CreatedAt), UpdatedAt: ts(su.UpdatedAt)}
	for i := range su.Requests {
		l.Requests = append(l.Requests, promptToLine(&su.Requests[i]))
	}
	for i := range su.Offers {
		l.Offers = append(l.Offers, promptToLine(&su.Offers[i]))
	}
	return l
}

func assignmentToLine(da *store.DumpAssignment) assignmentLine {
	a := &da.Assignment
	return assignmentLine{Type: "challenge_assignment", ID: a.ID, Collection: da.Collection, Recipient: a.Recipient,
		Giver: nameOrNull(a.Giver), RequestID: a.RequestID, OfferID: a.OfferID, PinchHit: a.PinchHit, SentAt: ts(a.SentAt),
		DefaultedAt: ts(a.DefaultedAt), FulfilledBy: a.FulfilledBy, CreatedAt: ts(a.CreatedAt), UpdatedAt: ts(a.UpdatedAt)}
}

func (im *importer) challenge(l challengeLine) (*store.DumpChallenge, error) {
	fail := func(err error) (*store.DumpChallenge, error) {
		return nil, fmt.Errorf("challenge of %q: %v", l.Collection, err)
	}
	c := archive.Challenge{Kind: l.Kind, Settings: l.Settings}
	var err error
	if c.SignupsOpenAt, err = im.parseTime("signups_open_at", l.SignupsOpenAt, false); err != nil {
		return fail(err)
	}
	if c.SignupsCloseAt, err = im.parseTime("signups_close_at", l.SignupsCloseAt, false); err != nil {
		return fail(err)
	}
	if err := archive.ValidateChallenge(&c); err != nil {
		return fail(err)
	}
	if c.MatchedAt, err = im.parseTime("matched_at", l.MatchedAt, true); err != nil {
		return fail(err)
	}
	if c.SentAt, err = im.parseTime("sent_at", l.SentAt, true); err != nil {
		return fail(err)
	}
	if c.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail(err)
	}
	if c.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail(err)
	}
	return &store.DumpChallenge{Collection: strings.TrimSpace(l.Collection), Challenge: c}, nil
}

func (im *importer) prompt(kind string, i int, l promptLine) (archive.Prompt, error) {
	p := archive.Prompt{ID: l.ID, Kind: kind, Position: i, Tags: map[archive.TagType][]string{}, URL: strings.TrimSpace(l.URL)}
	if l.ID <= 0 {
		return p, errors.New("a prompt needs a positive id")
	}
	for typ, names := range l.Tags {
		t, ok := archive.ParseTagType(typ)
		if !ok {
			return p, fmt.Errorf("prompt %d: %q is not a tag type", l.ID, typ)
		}
		for _, n := range names {
			clean, err := archive.CleanTagName(n)
			if err != nil {
				return p, fmt.Errorf("prompt %d: %v", l.ID, err)
			}
			p.Tags[t] = append(p.Tags[t], clean)
		}
	}
	for _, a := range l.Any {
		t, ok := archive.ParseTagType(a)
		if !ok {
			return p, fmt.Errorf("prompt %d: %q is not a tag type", l.ID, a)
		}
		p.Any = append(p.Any, t)
	}
	title, err := archive.CleanTitle("title", l.Title, false, archive.MaxTitleLength)
	if err != nil {
		return p, err
	}
	p.Title = title
	if p.Details, err = render("details", l.DetailsSource, l.DetailsFormat, l.Details, archive.MaxPromptDetails); err != nil {
		return p, err
	}
	if p.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return p, err
	}
	if p.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return p, err
	}
	return p, nil
}

func (im *importer) signup(l signupLine) (*store.DumpSignup, error) {
	if l.ID <= 0 {
		return nil, errors.New("challenge_signup: a sign-up needs a positive id")
	}
	su := archive.Signup{ID: l.ID, UserName: strings.TrimSpace(l.User)}
	for i, pl := range l.Requests {
		p, err := im.prompt(archive.PromptRequest, i, pl)
		if err != nil {
			return nil, fmt.Errorf("challenge_signup %d: %v", l.ID, err)
		}
		su.Requests = append(su.Requests, p)
	}
	for i, pl := range l.Offers {
		p, err := im.prompt(archive.PromptOffer, i, pl)
		if err != nil {
			return nil, fmt.Errorf("challenge_signup %d: %v", l.ID, err)
		}
		su.Offers = append(su.Offers, p)
	}
	var err error
	if su.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("challenge_signup %d: %v", l.ID, err)
	}
	if su.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return nil, fmt.Errorf("challenge_signup %d: %v", l.ID, err)
	}
	return &store.DumpSignup{Collection: strings.TrimSpace(l.Collection), Signup: su}, nil
}

func (im *importer) assignment(l assignmentLine) (*store.DumpAssignment, error) {
	if l.ID <= 0 || l.RequestID < 0 || l.OfferID < 0 || l.FulfilledBy < 0 {
		return nil, errors.New("challenge_assignment: id must be positive, request_id, offer_id and fulfilled_by not negative")
	}
	a := archive.Assignment{ID: l.ID, Recipient: strings.TrimSpace(l.Recipient), RequestID: l.RequestID, OfferID: l.OfferID, PinchHit: l.PinchHit, FulfilledBy: l.FulfilledBy}
	if l.Giver != nil {
		a.Giver = strings.TrimSpace(*l.Giver)
	}
	var err error
	if a.SentAt, err = im.parseTime("sent_at", l.SentAt, true); err != nil {
		return nil, fmt.Errorf("challenge_assignment %d: %v", l.ID, err)
	}
	if a.DefaultedAt, err = im.parseTime("defaulted_at", l.DefaultedAt, true); err != nil {
		return nil, fmt.Errorf("challenge_assignment %d: %v", l.ID, err)
	}
	if a.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("challenge_assignment %d: %v", l.ID, err)
	}
	if a.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return nil, fmt.Errorf("challenge_assignment %d: %v", l.ID, err)
	}
	return &store.DumpAssignment{Collection: strings.TrimSpace(l.Collection), Assignment: a}, nil
}

// putChallenges reads a challenge, sign-up or assignment line; ok is
// false for another type.
func (im *importer) putChallenges(ctx context.Context, w store.DumpWriter, kind string, raw []byte) (ok bool, err error) {
	switch kind {
	case "challenge":
		var l challengeLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		c, err := im.challenge(l)
		if err != nil {
			return true, err
		}
		return true, w.PutChallenge(ctx, c)
	case "challenge_signup":
		var l signupLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		s, err := im.signup(l)
		if err != nil {
			return true, err
		}
		return true, w.PutSignup(ctx, s)
	case "challenge_assignment":
		var l assignmentLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		a, err := im.assignment(l)
		if err != nil {
			return true, err
		}
		return true, w.PutAssignment(ctx, a)
	case "challenge_pinch_hitter":
		var l pinchHitterLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		p := archive.PinchHitter{Name: strings.TrimSpace(l.User)}
		if p.Name == "" {
			return true, errors.New("challenge_pinch_hitter: user is required")
		}
		if p.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
			return true, fmt.Errorf("challenge_pinch_hitter %s: %v", p.Name, err)
		}
		return true, w.PutPinchHitter(ctx, &store.DumpPinchHitter{Collection: strings.TrimSpace(l.Collection), PinchHitter: p})
	}
	return false, nil
}
