package archive

import "testing"

func TestIsLocalPath(t *testing.T) {
	for _, bad := range []string{
		"", "works", "http://evil.example/", "https:/evil.example", "//evil.example", "///evil.example",
		"/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example",
		"/ /evil.example", "/\x00/evil.example", "/\x7f/evil.example", "/\u0085/evil.example",
		"javascript:alert(1)", "/\xff/evil.example", "/%zz",
	} {
		if IsLocalPath(bad) {
			t.Errorf("IsLocalPath(%q) = true, want false", bad)
		}
	}
	for _, good := range []string{"/", "/works", "/works/3?page=2#kudos", "/tags/Caf%C3%A9/works", "/works/3/chapters/4"} {
		if !IsLocalPath(good) {
			t.Errorf("IsLocalPath(%q) = false, want true", good)
		}
	}
}
