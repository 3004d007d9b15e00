// A misspelt `rename_all` rule lists the rules serde knows.
use arena::arena_alloc;

#[arena_alloc(deserialize)]
#[serde(rename_all = "camelcase")]
pub struct Request<'a> {
    pub user_name: &'a str,
}

fn main() {}
