package web

import "testing"

func TestLocalPath(t *testing.T) {
	for _, bad := range []string{
		"", "works", "http://evil.example/", "https:/evil.example", "//evil.example", "///evil.example",
		"/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example",
		"/ /evil.example", "/\x00/evil.example", "/\x7f/evil.example", "/\u0085/evil.example",
		"javascript:alert(1)", "/\xff/evil.example", "/%zz",
	} {
		if got := localPath(bad, "/"); got != "/" {
			t.Errorf("localPath(%q) = %q, want the fallback", bad, got)
		}
	}
	for _, good := range []string{"/", "/works", "/works/3?page=2#kudos", "/tags/Caf%C3%A9/works", "/works/3/chapters/4"} {
		if got := localPath(good, "/"); got != good {
			t.Errorf("localPath(%q) = %q, want it kept", good, got)
		}
	}
}
