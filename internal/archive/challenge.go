package archive

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/text"
)

// Challenge kinds.
const (
	GiftExchange = "gift_exchange"
	PromptMeme   = "prompt_meme"
)

// Prompt kinds: a sign-up's request or offer, or a prompt meme's prompt.
const (
	PromptRequest = "request"
	PromptOffer   = "offer"
	PromptPrompt  = "prompt"
)

// Limits of challenges.
const (
	// MaxPromptsPerSignup bounds requests (and, apart, offers) per sign-up.
	MaxPromptsPerSignup = 20
	// MaxPromptTags bounds the tags of one type a prompt may name.
	MaxPromptTags = 20
	// MaxTagSet bounds a challenge's tag set.
	MaxTagSet = 5000
	// MaxPromptDetails bounds a prompt's details (characters).
	MaxPromptDetails = 5000
	MaxPromptURL     = 2000
)

// ChallengeTagTypes are the tag types a challenge's prompts name, in the
// order the forms and the matching use them.
var ChallengeTagTypes = []TagType{TypeFandom, TypeCharacter, TypeRelationship, TypeRating, TypeFreeform}

// MatchAll as a match rule: an offer shares every one of the request's tags.
const MatchAll = -1

// Range is a min..max count.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// MatchRule is how many of a request's tags of a type an offer must share:
// 0 ignores the type, 1 any one, MatchAll every one. JSON: 0, 1 (or n), "all".
type MatchRule int

func (m MatchRule) MarshalJSON() ([]byte, error) {
	if m == MatchAll {
		return []byte(`"all"`), nil
	}
	return json.Marshal(int(m))
}

func (m *MatchRule) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		if s == "all" {
			*m = MatchAll
			return nil
		}
		return fmt.Errorf(`match must be 0, 1 or "all", not %q`, s)
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil || n < 0 || n > MaxPromptTags {
		return fmt.Errorf(`match must be 0, 1 or "all"`)
	}
	*m = MatchRule(n)
	return nil
}

// TagRule is a challenge's rule for one tag type.
type TagRule struct {
	Request Range     `json:"request"`
	Offer   Range     `json:"offer"`
	Any     bool      `json:"any"`
	Match   MatchRule `json:"match"`
}

// ChallengeSettings are the maintainers' rules for sign-ups.
type ChallengeSettings struct {
	Requests Range               `json:"requests"`
	Offers   Range               `json:"offers"`
	Tags     map[TagType]TagRule `json:"tags"`
	// TagSet lists the tags sign-ups may use (nil: any tag).
	TagSet []string `json:"tag_set"`
}

// Challenge is a collection's gift exchange or prompt meme.
type Challenge struct {
	CollectionID int64
	Kind         string
	// SignupsOpenAt and SignupsCloseAt bound the sign-up window (zero:
	// open from the start / never closes).
	SignupsOpenAt  time.Time
	SignupsCloseAt time.Time
	Settings       ChallengeSettings
	MatchedAt      time.Time
	SentAt         time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SignupsOpen reports whether sign-ups are accepted at now.
func (c *Challenge) SignupsOpen(now time.Time) bool {
	if !c.SignupsOpenAt.IsZero() && now.Before(c.SignupsOpenAt) {
		return false
	}
	return c.SignupsCloseAt.IsZero() || now.Before(c.SignupsCloseAt)
}

// Rule is the settings' rule for a type (the zero rule when unset).
func (s *ChallengeSettings) Rule(t TagType) TagRule { return s.Tags[t] }

// DefaultChallengeSettings is a new gift exchange's: one to three requests
// and offers, each naming one fandom and up to five characters, an offer
// sharing the request's fandom.
func DefaultChallengeSettings() ChallengeSettings {
	return ChallengeSettings{
		Requests: Range{1, 3}, Offers: Range{1, 3},
		Tags: map[TagType]TagRule{
			TypeFandom:    {Request: Range{1, 1}, Offer: Range{1, 1}, Match: 1},
			TypeCharacter: {Request: Range{0, 5}, Offer: Range{0, 5}, Any: true},
		},
	}
}

// ValidateChallenge checks a challenge's kind, window and settings and
// cleans its tag set.
func ValidateChallenge(c *Challenge) error {
	if c.Kind != GiftExchange && c.Kind != PromptMeme {
		return Invalid("kind", `must be "gift_exchange" or "prompt_meme", not %q`, c.Kind)
	}
	if !c.SignupsOpenAt.IsZero() && !c.SignupsCloseAt.IsZero() && !c.SignupsCloseAt.After(c.SignupsOpenAt) {
		return Invalid("signups_close_at", "must be after signups_open_at")
	}
	s := &c.Settings
	for _, f := range []struct {
		name string
		r    Range
	}{{"requests", s.Requests}, {"offers", s.Offers}} {
		if f.r.Min < 0 || f.r.Max < f.r.Min || f.r.Max > MaxPromptsPerSignup {
			return Invalid(f.name, "min and max must satisfy 0 ≤ min ≤ max ≤ %d (got %d..%d)", MaxPromptsPerSignup, f.r.Min, f.r.Max)
		}
	}
	if c.Kind == GiftExchange && (s.Requests.Max == 0 || s.Offers.Max == 0) {
		return Invalid("requests", "a gift exchange needs at least one request and one offer per sign-up allowed")
	}
	for t, r := range s.Tags {
		if !isChallengeType(t) {
			return Invalid("tags", "%q is not a tag type a sign-up names (fandom, character, relationship, rating, freeform)", string(t))
		}
		for _, rr := range []Range{r.Request, r.Offer} {
			if rr.Min < 0 || rr.Max < rr.Min || rr.Max > MaxPromptTags {
				return Invalid("tags", "%s: min and max must satisfy 0 ≤ min ≤ max ≤ %d (got %d..%d)", t, MaxPromptTags, rr.Min, rr.Max)
			}
		}
		if t == TypeRating && (r.Request.Max > 1 || r.Offer.Max > 1) {
			return Invalid("tags", "rating: a prompt names at most one rating")
		}
		if r.Match < MatchAll || r.Match > MaxPromptTags {
			return Invalid("tags", `%s: match must be 0, 1 or "all"`, t)
		}
	}
	if s.TagSet != nil {
		if len(s.TagSet) > MaxTagSet {
			return Invalid("tag_set", "has %d tags; the limit is %d", len(s.TagSet), MaxTagSet)
		}
		seen := map[string]bool{}
		clean := []string{}
		for _, n := range s.TagSet {
			n, err := CleanTagName(n)
			if err != nil {
				return Invalid("tag_set", "%v", err)
			}
			if k := TagKey(n); !seen[k] {
				seen[k] = true
				clean = append(clean, n)
			}
		}
		s.TagSet = clean
	}
	return nil
}

func isChallengeType(t TagType) bool {
	for _, c := range ChallengeTagTypes {
		if c == t {
			return true
		}
	}
	return false
}

// Prompt is a sign-up's request or offer, or a prompt meme's prompt.
type Prompt struct {
	ID           int64
	CollectionID int64
	SignupID     int64
	UserID       int64
	UserName     string
	Kind         string
	Position     int
	Title        string
	Details      Rich
	URL          string
	// Tags by type, as entered; Any lists the types left open.
	Tags      map[TagType][]string
	Any       []TagType
	Anonymous bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsAny reports whether the prompt leaves the type open.
func (p *Prompt) IsAny(t TagType) bool {
	for _, a := range p.Any {
		if a == t {
			return true
		}
	}
	return false
}

// Signup is one participant's sign-up to a gift exchange.
type Signup struct {
	ID           int64
	CollectionID int64
	UserID       int64
	UserName     string
	Requests     []Prompt
	Offers       []Prompt
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PromptInput is one request or offer as a participant submits it (the
// API's shape: tag lists by type, one rating, the types left open).
type PromptInput struct {
	Fandoms       []string `json:"fandoms"`
	Characters    []string `json:"characters"`
	Relationships []string `json:"relationships"`
	Freeforms     []string `json:"freeforms"`
	Rating        string   `json:"rating"`
	Any           []string `json:"any"`
	Title         string   `json:"title"`
	Details       string   `json:"details"`
	DetailsFormat Format   `json:"details_format"`
	URL           string   `json:"url"`
}

// SignupInput is a whole sign-up.
type SignupInput struct {
	Requests []PromptInput `json:"requests"`
	Offers   []PromptInput `json:"offers"`
}

func (in *PromptInput) byType() map[TagType][]string {
	m := map[TagType][]string{
		TypeFandom: in.Fandoms, TypeCharacter: in.Characters,
		TypeRelationship: in.Relationships, TypeFreeform: in.Freeforms,
	}
	if strings.TrimSpace(in.Rating) != "" {
		m[TypeRating] = []string{in.Rating}
	}
	return m
}

// PrepareSignup checks a sign-up against the challenge's settings and
// returns its requests and offers ready to store (kind and position set).
func PrepareSignup(s *ChallengeSettings, in SignupInput) (requests, offers []Prompt, err error) {
	var allowed map[string]bool
	if s.TagSet != nil {
		allowed = make(map[string]bool, len(s.TagSet))
		for _, n := range s.TagSet {
			allowed[TagKey(n)] = true
		}
	}
	prep := func(kind string, ins []PromptInput, count Range) ([]Prompt, error) {
		field := kind + "s"
		if len(ins) < count.Min || len(ins) > count.Max {
			if count.Min == count.Max {
				return nil, Invalid(field, "a sign-up makes exactly %d %s; this one makes %d", count.Min, field, len(ins))
			}
			return nil, Invalid(field, "a sign-up makes %d to %d %s; this one makes %d", count.Min, count.Max, field, len(ins))
		}
		var out []Prompt
		for i := range ins {
			p, err := preparePrompt(s, allowed, kind, i, &ins[i])
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, nil
	}
	if requests, err = prep(PromptRequest, in.Requests, s.Requests); err != nil {
		return nil, nil, err
	}
	if offers, err = prep(PromptOffer, in.Offers, s.Offers); err != nil {
		return nil, nil, err
	}
	return requests, offers, nil
}

func preparePrompt(s *ChallengeSettings, allowed map[string]bool, kind string, i int, in *PromptInput) (Prompt, error) {
	field := fmt.Sprintf("%ss[%d]", kind, i)
	p := Prompt{Kind: kind, Position: i, Tags: map[TagType][]string{}}
	anyTypes := map[TagType]bool{}
	for _, a := range in.Any {
		t, ok := ParseTagType(strings.TrimSpace(a))
		if !ok || !isChallengeType(t) {
			return p, Invalid(field, "%q is not a tag type that can be left open", a)
		}
		if !s.Rule(t).Any {
			return p, Invalid(field, `this challenge does not allow "any" %s`, t)
		}
		anyTypes[t] = true
	}
	for t, names := range in.byType() {
		rule := s.Rule(t)
		limit := rule.Request
		if kind == PromptOffer {
			limit = rule.Offer
		}
		var clean []string
		seen := map[string]bool{}
		for _, n := range names {
			if strings.TrimSpace(n) == "" {
				continue
			}
			n, err := CleanTagName(n)
			if err != nil {
				return p, Invalid(field, "%v", err)
			}
			if t == TypeRating && !validRating(n) {
				return p, Invalid(field, "%q is not a rating", n)
			}
			k := TagKey(n)
			if seen[k] {
				continue
			}
			seen[k] = true
			if allowed != nil && t != TypeRating && !allowed[k] {
				return p, Invalid(field, "%s %q is not in this challenge's tag set", t, n)
			}
			clean = append(clean, n)
		}
		if anyTypes[t] {
			if len(clean) > 0 {
				return p, Invalid(field, `names %s tags and "any" %s: choose one`, t, t)
			}
			continue
		}
		if len(clean) < limit.Min || len(clean) > limit.Max {
			what := string(t)
			if limit.Max == 0 {
				return p, Invalid(field, "names %d %s tags; this challenge's %ss name none", len(clean), what, kind)
			}
			return p, Invalid(field, "names %d %s tags; each %s names %d to %d", len(clean), what, kind, limit.Min, limit.Max)
		}
		if len(clean) > 0 {
			p.Tags[t] = clean
		}
	}
	for _, t := range ChallengeTagTypes {
		if anyTypes[t] {
			p.Any = append(p.Any, t)
		}
	}
	title, err := CleanTitle(field+".title", in.Title, false, MaxTitleLength)
	if err != nil {
		return p, err
	}
	p.Title = title
	if p.Details, err = render(field+".details", in.Details, in.DetailsFormat, MaxPromptDetails); err != nil {
		return p, err
	}
	if u := strings.TrimSpace(text.ValidUTF8(in.URL)); u != "" {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || utf8.RuneCountInString(u) > MaxPromptURL {
			return p, Invalid(field+".url", "must be an http or https address of at most %d characters", MaxPromptURL)
		}
		p.URL = pu.String()
	}
	return p, nil
}

func validRating(n string) bool {
	for _, r := range Ratings {
		if r == n {
			return true
		}
	}
	return false
}

// Assignment is one gift exchange pairing: Giver writes for Recipient.
type Assignment struct {
	ID           int64
	CollectionID int64
	RecipientID  int64
	Recipient    string
	GiverID      int64 // 0: none yet (a pinch-hit is needed)
	Giver        string
	// RequestID is the recipient's request the giver writes for, OfferID
	// the giver's offer that satisfies it (0: none, e.g. a pinch-hitter
	// without a sign-up).
	RequestID   int64
	OfferID     int64
	PinchHit    bool
	SentAt      time.Time
	DefaultedAt time.Time
	// FulfilledBy is the gift work posted to the collection (0: none yet).
	FulfilledBy int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PinchHitter is a user who volunteers to write a gift for a recipient
// left without one.
type PinchHitter struct {
	UserID    int64
	Name      string
	CreatedAt time.Time
}

// Unmatched is a participant matching left out, with why.
type Unmatched struct {
	User string `json:"user"`
	Why  string `json:"why"`
}
