//! Where a Go program listens when its source names no address: the defaults of the frameworks
//! whose run call takes none (Gin's `r.Run()` serves on `$PORT`, else :8080).

/// Gin's import path, and the port its `Run()` without an address serves on.
const GIN_IMPORT: &str = "\"github.com/gin-gonic/gin\"";
const GIN_DEFAULT_PORT: u16 = 8080;

/// The port a framework's address-less run call in `text` serves on: Gin's `.Run()` (a file
/// that imports Gin and calls `.Run()` with no argument). One pass over the text.
pub(super) fn default_port(text: &str) -> Option<u16> {
    let calls_run = text.lines().any(|line| {
        let code = line.split("//").next().unwrap_or("");
        code.contains(".Run()")
    });
    (calls_run && text.contains(GIN_IMPORT)).then_some(GIN_DEFAULT_PORT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gin_run_without_address_is_8080() {
        let gin = "import \"github.com/gin-gonic/gin\"\nfunc main() {\n\tr := gin.Default()\n\tr.Run()\n}";
        assert_eq!(default_port(gin), Some(8080));
        let commented = "import \"github.com/gin-gonic/gin\"\n// r.Run()\nr.Run(addr)";
        assert_eq!(default_port(commented), None);
        assert_eq!(default_port("cmd.Run()"), None);
    }
}
