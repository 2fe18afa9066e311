package site

import (
	"context"
	"strings"

	"golang.org/x/text/language"

	"quire/internal/archive"
)

// Reading settings' accepted values. Zero values mean "the site's default".
const (
	MinFontSize  = 50  // percent
	MaxFontSize  = 200 // percent
	MinLineWidth = 30  // characters
	MaxLineWidth = 120 // characters
)

// Themes are the accepted themes; "" follows the reader's system.
var Themes = []string{"light", "dark"}

// CheckPreferences validates a reader's settings and normalises them.
func CheckPreferences(p *archive.Preferences) error {
	if p.FontSize != 0 && (p.FontSize < MinFontSize || p.FontSize > MaxFontSize) {
		return archive.Invalid("font_size", "must be a percentage from %d to %d (or 0 for the default)", MinFontSize, MaxFontSize)
	}
	if p.LineWidth != 0 && (p.LineWidth < MinLineWidth || p.LineWidth > MaxLineWidth) {
		return archive.Invalid("line_width", "must be from %d to %d characters (or 0 for the default)", MinLineWidth, MaxLineWidth)
	}
	p.Theme = strings.ToLower(strings.TrimSpace(p.Theme))
	switch p.Theme {
	case "", "light", "dark":
	case "default", "auto":
		p.Theme = ""
	default:
		return archive.Invalid("theme", "must be light or dark (or empty for your system's setting), not %q", p.Theme)
	}
	p.Locale = strings.TrimSpace(p.Locale)
	if p.Locale != "" {
		if _, err := language.Parse(p.Locale); err != nil || len(p.Locale) > 35 {
			return archive.Invalid("locale", "%q is not a language code (try de, es or zh-Hans)", p.Locale)
		}
	}
	p.TimeZone = strings.TrimSpace(p.TimeZone)
	if _, err := archive.LoadZone(p.TimeZone); err != nil {
		return err
	}
	return nil
}

// SetPreferences validates and saves u's preferences.
func (s *Site) SetPreferences(ctx context.Context, u *archive.User, p archive.Preferences) (archive.Preferences, error) {
	if u == nil {
		return p, archive.ErrAuth
	}
	if err := CheckPreferences(&p); err != nil {
		return p, err
	}
	if err := s.store.SetPreferences(ctx, u.ID, p); err != nil {
		return p, err
	}
	u.Preferences = p
	return p, nil
}
