package archive

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"quire/internal/text"
)

// Limits of collections (AO3's).
const (
	MaxCollectionName        = 255
	MaxCollectionTitle       = 255
	MaxCollectionDescription = 1250
	MaxCollectionRules       = 5000
	// MaxCollectionsPerWork bounds the collections one work may be put in.
	MaxCollectionsPerWork = 20
	// MaxGiftsPerWork bounds the recipients one work may name.
	MaxGiftsPerWork = 20
	// MaxGiftName bounds a free (not an account's) recipient name.
	MaxGiftName = 100
)

// Maintainer roles of a collection.
const (
	CollectionOwner     = "owner"
	CollectionModerator = "moderator"
)

// Item states: a work in a collection is approved, pending (awaits the
// collection's maintainers), invited (awaits the work's creators) or
// rejected.
const (
	ItemApproved = "approved"
	ItemPending  = "pending"
	ItemInvited  = "invited"
	ItemRejected = "rejected"
)

var collectionNameRe = regexp.MustCompile(`^[A-Za-z0-9_]{1,255}$`)

// Collection is a named group of works kept by its maintainers: a fest, an
// exchange, a zine, a prompt meme.
type Collection struct {
	ID          int64
	Name        string
	Title       string
	Description Rich
	Rules       Rich
	// ParentID is the parent collection (0: none); Parent its name.
	ParentID int64
	Parent   string
	// Open: anyone may add a work (else the maintainers only). Moderated:
	// new items wait for a maintainer's approval. Anonymous: creators are
	// shown as "Anonymous" until revealed. Unrevealed: works show as
	// "Mystery Work" until revealed.
	Open       bool
	Moderated  bool
	Anonymous  bool
	Unrevealed bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Maintainers are its owners and moderators, owners first.
	Maintainers []CollectionMaintainer
	// Works counts its approved items (whatever their visibility: pages
	// show the reader's own count from the listing index).
	Items int
}

// CollectionMaintainer is one of a collection's owners or moderators.
type CollectionMaintainer struct {
	UserID   int64
	UserName string
	Role     string
}

// IsMaintainer reports whether the user is an owner or moderator.
func (c *Collection) IsMaintainer(userID int64) bool {
	return c.MaintainerRole(userID) != ""
}

// IsOwner reports whether the user is one of the owners.
func (c *Collection) IsOwner(userID int64) bool {
	return c.MaintainerRole(userID) == CollectionOwner
}

// MaintainerRole is the user's role in the collection, "" for none.
func (c *Collection) MaintainerRole(userID int64) string {
	if userID == 0 {
		return ""
	}
	for _, m := range c.Maintainers {
		if m.UserID == userID {
			return m.Role
		}
	}
	return ""
}

// CollectionItem is one work's place in a collection.
type CollectionItem struct {
	CollectionID    int64
	CollectionName  string
	CollectionTitle string
	WorkID          int64
	State           string
	Anonymous       bool
	Unrevealed      bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// CollectionInput is what a maintainer submits to make or change a
// collection; nil fields are left as they are (on create: empty or false).
type CollectionInput struct {
	Name              *string
	Title             *string
	Description       *string
	DescriptionFormat Format
	Rules             *string
	RulesFormat       Format
	Parent            *string // a collection name, "" for none
	Open              *bool
	Moderated         *bool
	Anonymous         *bool
	Unrevealed        *bool
}

// ValidCollectionName checks a collection's name (its URL).
func ValidCollectionName(name string) error {
	if name == "" {
		return Invalid("name", "can't be blank")
	}
	if !collectionNameRe.MatchString(name) {
		if utf8.RuneCountInString(name) > MaxCollectionName {
			return Invalid("name", "is %d characters long; the limit is %d", utf8.RuneCountInString(name), MaxCollectionName)
		}
		return Invalid("name", "may contain only letters A-Z, digits and underscores")
	}
	return nil
}

// CollectionNameKey is the name as uniqueness compares it.
func CollectionNameKey(name string) string { return strings.ToLower(name) }

// ApplyCollectionInput validates in and applies it to c (Parent by name:
// the caller resolves ParentID). creating requires a name and a title.
func ApplyCollectionInput(c *Collection, in CollectionInput, creating bool) error {
	if creating {
		if in.Name == nil {
			return Invalid("name", "can't be blank")
		}
		name := strings.TrimSpace(text.ValidUTF8(*in.Name))
		if err := ValidCollectionName(name); err != nil {
			return err
		}
		c.Name = name
		if in.Title == nil {
			return Invalid("title", "can't be blank")
		}
	} else if in.Name != nil && *in.Name != c.Name {
		return Invalid("name", "can't be changed (it is the collection's address)")
	}
	if in.Title != nil {
		t, err := CleanTitle("title", *in.Title, true, MaxCollectionTitle)
		if err != nil {
			return err
		}
		c.Title = t
	}
	if in.Description != nil {
		r, err := render("description", *in.Description, in.DescriptionFormat, MaxCollectionDescription)
		if err != nil {
			return err
		}
		c.Description = r
	}
	if in.Rules != nil {
		r, err := render("rules", *in.Rules, in.RulesFormat, MaxCollectionRules)
		if err != nil {
			return err
		}
		c.Rules = r
	}
	if in.Parent != nil {
		p := strings.TrimSpace(*in.Parent)
		if p != "" {
			if err := ValidCollectionName(p); err != nil {
				return Invalid("parent", "there is no collection named %q", p)
			}
			if strings.EqualFold(p, c.Name) {
				return Invalid("parent", "a collection can't be its own parent")
			}
		}
		c.Parent = p
	}
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Open, in.Open)
	set(&c.Moderated, in.Moderated)
	set(&c.Anonymous, in.Anonymous)
	set(&c.Unrevealed, in.Unrevealed)
	return nil
}

// Gift is one recipient of a work: an account (UserID) or a free name.
type Gift struct {
	Name   string
	UserID int64
}

// CleanGiftNames trims, de-duplicates (ignoring case) and bounds a list of
// recipient names.
func CleanGiftNames(names []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.Join(strings.Fields(text.ValidUTF8(n)), " ")
		if n == "" {
			continue
		}
		if utf8.RuneCountInString(n) > MaxGiftName {
			return nil, Invalid("gifts", "%q is longer than %d characters", n, MaxGiftName)
		}
		if strings.ContainsAny(n, "<>") {
			return nil, Invalid("gifts", "%q may not contain < or >", n)
		}
		k := strings.ToLower(n)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, n)
	}
	if len(out) > MaxGiftsPerWork {
		return nil, Invalid("gifts", "names %d recipients; the limit is %d", len(out), MaxGiftsPerWork)
	}
	return out, nil
}
