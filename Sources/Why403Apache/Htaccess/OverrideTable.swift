/// Which `AllowOverride` class lets a directive appear in an `.htaccess` file, as the modules declare
/// it (`OR_AUTHCFG`, `OR_LIMIT`, `OR_OPTIONS`, `OR_FILEINFO`, `OR_INDEXES`, `OR_ALL` in the httpd 2.4
/// sources), and the directives that are never allowed there (`RSRC_CONF`, `ACCESS_CONF` only).
///
/// A directive missing from both tables is unknown to why403: its effect is not predicted.
enum OverrideTable {
    /// Directive (lower-cased) -> override class; "all" means any AllowOverride except None.
    static let classes: [String: String] = {
        var t: [String: String] = [:]
        for d in ["authtype", "authname", "authuserfile", "authgroupfile", "authbasicprovider", "authbasicauthoritative",
                  "require", "requireall", "requireany", "requirenone", "authmerging", "satisfy",
                  "authdigestprovider", "authdigestdomain", "authbasicfake", "authzuserauthoritative",
                  "authformprovider", "authdbmuserfile", "authdbmgroupfile"] { t[d] = "authconfig" }
        for d in ["order", "allow", "deny", "limit", "limitexcept"] { t[d] = "limit" }
        for d in ["options", "xbithack"] { t[d] = "options" }
        for d in ["rewriteengine", "rewriterule", "rewritecond", "rewritebase", "rewriteoptions",
                  "errordocument", "setenvif", "setenvifnocase", "browsermatch", "browsermatchnocase", "setenv",
                  "unsetenv", "passenv", "header", "requestheader", "addtype", "addhandler", "addcharset", "addencoding",
                  "addlanguage", "addoutputfilter", "addinputfilter", "removehandler", "removetype", "forcetype",
                  "sethandler", "setoutputfilter", "setinputfilter", "defaulttype", "redirect", "redirectmatch",
                  "redirectpermanent", "redirecttemp", "adddefaultcharset", "filesmatch", "languagepriority",
                  "forcelanguagepriority", "cookietracking", "action", "rewritemap", "setenvifexpr",
                  "addoutputfilterbytype", "contentdigest", "fileetag", "setenvifnocase", "multiviewsmatch",
                  "usecanonicalname", "substitute", "checkspelling", "checkcaseonly"] { t[d] = "fileinfo" }
        for d in ["directoryindex", "directoryslash", "fallbackresource", "indexoptions", "indexignore",
                  "indexorderdefault", "indexstylesheet", "indexheadinsert", "adddescription", "addicon", "addiconbytype",
                  "addiconbyencoding", "defaulticon", "headername", "readmename", "fancyindexing", "expiresactive",
                  "expiresbytype", "expiresdefault", "imapmenu", "imapdefault", "imapbase", "addalt", "addaltbytype",
                  "addaltbyencoding"] { t[d] = "indexes" }
        for d in ["files", "if", "elseif", "else", "ifmodule", "ifdefine", "ifversion", "ifdirective", "iffile",
                  "errorlog", "loglevel", "ssloptions", "sslrequire", "sslrequiressl", "limitrequestbody", "acceptpathinfo",
                  "contentdigest", "filesmatch", "enablemmap", "enablesendfile", "servertokens", "serversignature",
                  "cgipassauth", "define", "undefine", "secruleengine", "secrequestbodyaccess"] where t[d] == nil {
            t[d] = "all"
        }
        // These belong to FileInfo even though listed above as "all" candidates.
        t["filesmatch"] = "all"
        t["secruleengine"] = nil
        t["secrequestbodyaccess"] = nil
        return t
    }()

    /// Directives that are never allowed in .htaccess ("… not allowed here").
    static let never: Set<String> = [
        "allowoverride", "allowoverridelist", "directory", "directorymatch", "location", "locationmatch",
        "virtualhost", "documentroot", "alias", "aliasmatch", "scriptalias", "scriptaliasmatch", "servername",
        "serveralias", "serverroot", "listen", "user", "group", "loadmodule", "include", "includeoptional",
        "userdir", "customlog", "transferlog", "accessfilename", "keepalive", "timeout", "serveradmin", "proxypass",
        "rewritelog", "rewriteloglevel", "secrule", "secaction", "secdefaultaction", "secauditlog", "secdatadir",
        "mutex", "pidfile", "startservers", "maxrequestworkers", "threadsperchild", "loglevel",
    ]
}
