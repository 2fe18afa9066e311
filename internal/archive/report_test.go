package archive_test

import (
	"strings"
	"testing"

	"quire/internal/archive"
)

func TestParseReportTarget(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" = refused
	}{
		{"work:12", "work:12"},
		{" chapter:3 ", "chapter:3"},
		{"comment:9", "comment:9"},
		{"series:1", "series:1"},
		{"bookmark:44", "bookmark:44"},
		{"user:alice_2", "user:alice_2"},
		{"", ""},
		{"work", ""},
		{"work:", ""},
		{"work:0", ""},
		{"work:-3", ""},
		{"work:012", ""},
		{"work:1.5", ""},
		{"work:99999999999999999999", ""},
		{"novel:1", ""},
		{"Work:1", ""},
		{"user:", ""},
		{"user:not a name", ""},
		{"user:../admin", ""},
	} {
		got, err := archive.ParseReportTarget(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%q: accepted as %v", c.in, got)
		case c.want != "" && (err != nil || got.String() != c.want):
			t.Errorf("%q: %v, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestReportLimits(t *testing.T) {
	if _, err := archive.CleanReportDetails(strings.Repeat("é", archive.MaxReportDetails)); err != nil {
		t.Errorf("5,000 characters refused: %v", err)
	}
	if _, err := archive.CleanReportDetails(strings.Repeat("é", archive.MaxReportDetails+1)); err == nil {
		t.Error("5,001 characters accepted")
	}
	if d, _ := archive.CleanReportDetails("  a\x00b  "); d != "ab" {
		t.Errorf("details %q", d)
	}
	for _, r := range archive.ReportReasons {
		if _, err := archive.CleanReportReason(r); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
	for _, bad := range []string{"", "Spam", "rude"} {
		if _, err := archive.CleanReportReason(bad); err == nil {
			t.Errorf("reason %q accepted", bad)
		}
	}
	if s, cut := archive.Clip("héllo", 2); s != "hé" || !cut {
		t.Errorf("clip %q %v", s, cut)
	}
	if s, cut := archive.Clip("hé", 2); s != "hé" || cut {
		t.Errorf("clip %q %v", s, cut)
	}
}
