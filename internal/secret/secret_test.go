package secret

import "testing"

func TestCheck(t *testing.T) {
	tests := []struct {
		name, key, value string
		want             Verdict
		what             string
	}{
		{"empty", "API_KEY", "", None, ""},
		{"openai key anywhere", "", "sk-proj-Abc123Def456Ghi789Jkl012Mno345", Strong, "an OpenAI API key"},
		{"openai key in argv", "", "--default API_KEY=sk-Abc123Def456Ghi789Jkl0", Strong, "an OpenAI API key"},
		{"anthropic before openai", "", "sk-ant-api03-Abc123Def456Ghi789Jkl012", Strong, "an Anthropic API key"},
		{"stripe", "", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", Strong, "a Stripe key"},
		{"github pat", "x", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", Strong, "a GitHub token"},
		{"gitlab pat", "", "glpat-abcdefghij0123456789", Strong, "a GitLab token"},
		{"aws access key id", "", "AKIAIOSFODNN7EXAMPLE", Strong, "an AWS access key ID"},
		{"hugging face", "", "hf_abcdefghijklmnopqrstuvwxyzABCDEF", Strong, "a Hugging Face token"},
		{"private key", "", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n", Strong, "a private key"},
		{"jwt", "", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", Strong, "a JSON web token"},
		{"url with password", "DSN", "postgres://app:hunter22@db:5432/app", Strong, "a URL with a password"},
		{"url with variable password", "DSN", "postgres://app:${DB_PASSWORD}@db:5432/app", None, ""},
		{"random under secret key", "DB_PASSWORD", "s3cr3t-P@ssw0rd", Strong, "a random-looking literal under a secret-like name"},
		{"letters and digits under secret key", "apiKey", "supersecretvalue123", Strong, "a random-looking literal under a secret-like name"},
		{"word under secret key", "password", "changeme", Weak, "a literal under a secret-like name"},
		{"secret name under secret key", "credentials", "minio-credentials", Weak, "a literal under a secret-like name"},
		{"not a secret key", "FOLDER_PATH", "s3cr3t-P@ssw0rd", None, ""},
		{"github expression", "API_KEY", "${{ secrets.OPENAI_API_KEY }}", None, ""},
		{"shell variable", "token", "$VAULT_ID_TOKEN", None, ""},
		{"braced variable", "TOKEN", "${TOKEN:-}", None, ""},
		{"escaped variable", "TOKEN", `\$API_CREDS_TOKEN`, None, ""},
		{"argo expression", "token", "{{workflow.parameters.token}}", None, ""},
		{"python placeholder", "API_KEY", "${secret:vault:openai}", None, ""},
		{"secret name", "OPENAI_API_KEY", "PROD_OPENAI_KEY", None, ""},
		{"upper case random is not a name", "API_KEY", "ABCD1234EFGH5678", Strong, "a random-looking literal under a secret-like name"},
		{"permission word", "id-token", "write", None, ""},
		{"path to a secret file", "token", "/var/run/secrets/token", None, ""},
		{"token count is not a token", "TOKEN_COUNT_MAX", "256", None, ""},
		{"image digest", "image", "ghcr.io/wurzel-dev/wurzel@sha256:0123456789abcdef0123456789abcdef", None, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.key, tt.value)
			if got.Verdict != tt.want || got.What != tt.what {
				t.Errorf("Check(%q, …) = %v %q, want %v %q", tt.key, got.Verdict, got.What, tt.want, tt.what)
			}
			if (got.Verdict == None) != (got.Fingerprint == "") {
				t.Errorf("fingerprint %q for verdict %v", got.Fingerprint, got.Verdict)
			}
		})
	}
}

func TestFingerprintNamesTheSecret(t *testing.T) {
	key := "sk-Abc123Def456Ghi789Jkl0"
	a := Check("", key)
	b := CheckText("wurzel run X --default API_KEY=" + key)
	c := Check("API_KEY", key+"x")
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("the same key in two places has fingerprints %s and %s", a.Fingerprint, b.Fingerprint)
	}
	if a.Fingerprint == c.Fingerprint {
		t.Error("two keys share a fingerprint")
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, text string
		want       Verdict
	}{
		{"argv default", "--default DB_PASSWORD=s3cr3t-P@ssw0rd", Strong},
		{"export", "[ -n \"${X+set}\" ] || export API_TOKEN='Xk9fA2pQ7LmZ'", Strong},
		{"python dict", `"API_KEY": "Xk9fA2pQ7LmZ",`, Strong},
		{"yaml text", "password: changeme", Weak},
		{"shell test is no assignment", `if [ "$JOIN__API_TOKEN" = "\$JOIN_SECRETS_TOKEN" ]; then exit 1; fi`, None},
		{"structure is no literal", `DB_PASSWORD: {secretRef: {name: vector-db, key: password}}`, None},
		{"reference", "EMBEDDINGSTEP__API_KEY=$OPENAI_API_KEY", None},
		{"other settings", "--default TOKEN_COUNT_MAX=256 --default FOLDER_PATH=./docs", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckText(tt.text).Verdict; got != tt.want {
				t.Errorf("CheckText(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"export API_TOKEN='Xk9fA2pQ7LmZ'", "export API_TOKEN='***'"},
		{"--default API_KEY=sk-Abc123Def456Ghi789Jkl0 --default N=1", "--default API_KEY=*** --default N=1"},
		{"url: https://bot:hunter22@example.com/x", "url: https://bot:***@example.com/x"},
		{`"password": "changeme"`, `"password": "***"`},
		{"no secret: TOKEN_COUNT_MAX=256", "no secret: TOKEN_COUNT_MAX=256"},
		{"token: ${{ secrets.TOKEN }}", "token: ${{ secrets.TOKEN }}"},
	}
	for _, tt := range tests {
		if got := MaskText(tt.in); got != tt.want {
			t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		key  string
		v    any
		want any
	}{
		{"password", "hunter2", Masked},
		{"namespace", "prod", "prod"},
		{"API_KEY", "${{ secrets.X }}", "${{ secrets.X }}"},
		{"token", int64(3), int64(3)},
		{"image", "sk-Abc123Def456Ghi789Jkl0", Masked},
	}
	for _, tt := range tests {
		if got := Mask(tt.key, tt.v); got != tt.want {
			t.Errorf("Mask(%q, %v) = %v, want %v", tt.key, tt.v, got, tt.want)
		}
	}
}
