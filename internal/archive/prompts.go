package archive

import (
	"strings"
	"time"
)

// Prompt memes: a collection whose challenge kind is PromptMeme. Its
// participants post prompts (Prompt with Kind PromptPrompt and no
// sign-up); anyone signed in may claim a prompt (many claims per prompt,
// one per user); a work posted to the collection by the claimer that names
// the claim fills it.

// Limits of prompt memes.
const (
	// MaxPromptText bounds a prompt's text (characters), as AO3 bounds a
	// prompt's description (the notes limit, 5,000) — MaxPromptDetails.
	MaxPromptText = MaxPromptDetails
	// MaxPromptsPerUser bounds one participant's prompts in one meme when
	// the settings' requests.max is 0 (no limit of the maintainers').
	MaxPromptsPerUser = 500
	// MaxClaimsPerWork bounds the claims one work may fill.
	MaxClaimsPerWork = 20
)

// DefaultPromptMemeSettings are a new prompt meme's: each prompt names one
// or two fandoms and up to five characters, relationships and additional
// tags; "any" fandom is allowed; a participant posts up to 20 prompts.
func DefaultPromptMemeSettings() ChallengeSettings {
	up := func(min, max int) TagRule { return TagRule{Request: Range{min, max}} }
	fandom := up(1, 2)
	fandom.Any = true
	return ChallengeSettings{
		Requests: Range{0, 20},
		Tags: map[TagType]TagRule{
			TypeFandom: fandom, TypeCharacter: up(0, 5), TypeRelationship: up(0, 5),
			TypeFreeform: up(0, 5), TypeRating: up(0, 1),
		},
	}
}

// MemePromptInput is a prompt as a participant submits it (the API's
// shape; the form fills the same fields).
type MemePromptInput struct {
	Title         string   `json:"title"`
	Text          string   `json:"text"`
	TextFormat    Format   `json:"text_format"`
	Fandoms       []string `json:"fandoms"`
	Characters    []string `json:"characters"`
	Relationships []string `json:"relationships"`
	Freeforms     []string `json:"freeforms"`
	Rating        string   `json:"rating"`
	Any           []string `json:"any"`
	URL           string   `json:"url"`
	Anonymous     bool     `json:"anonymous"`
}

// PrepareMemePrompt checks a prompt against the meme's settings (tag
// counts per type from each type's request range, the tag set, "any") and
// returns it ready to store. Its text can't be empty.
func PrepareMemePrompt(s *ChallengeSettings, in MemePromptInput) (Prompt, error) {
	var allowed map[string]bool
	if s.TagSet != nil {
		allowed = make(map[string]bool, len(s.TagSet))
		for _, n := range s.TagSet {
			allowed[TagKey(n)] = true
		}
	}
	pin := PromptInput{Fandoms: in.Fandoms, Characters: in.Characters, Relationships: in.Relationships,
		Freeforms: in.Freeforms, Rating: in.Rating, Any: in.Any, Title: in.Title,
		Details: in.Text, DetailsFormat: in.TextFormat, URL: in.URL}
	p, err := preparePrompt(s, allowed, PromptPrompt, 0, &pin)
	if err != nil {
		if e, ok := err.(*ValidationError); ok {
			e.Field = strings.Replace(strings.Replace(e.Field, "prompts[0].details", "text", 1), "prompts[0]", "prompt", 1)
		}
		return p, err
	}
	if strings.TrimSpace(p.Details.HTML) == "" {
		return p, Invalid("text", "can't be blank: say what you would like written")
	}
	p.Anonymous = in.Anonymous
	return p, nil
}

// Claim is a user's claim on a prompt meme's prompt; WorkID is the work
// that fills it (0: not filled yet).
type Claim struct {
	ID           int64
	PromptID     int64
	CollectionID int64
	UserID       int64
	UserName     string
	WorkID       int64
	FilledAt     time.Time
	CreatedAt    time.Time
}
