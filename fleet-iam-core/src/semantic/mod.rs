//! What the model means, built once per module and shared by every rule that asks: value
//! resolution (variables, locals, tfvars), module sources and versions, CIDR blocks, the EKS
//! endpoints and the EC2 hosts a module declares, and where secret values flow. Rules read
//! [`Semantic`] through their `Context`; nothing here reports anything.

pub mod cidr;
pub mod endpoints;
pub mod flows;
pub mod hosts;
pub use crate::model::module_source;
pub mod resolve;

use crate::model::Module;
use crate::source::Sources;
use endpoints::Endpoint;
use hosts::Host;
use resolve::Resolver;
use std::cell::OnceCell;
use std::sync::LazyLock;

/// The meaning of one module (for a policy file, of an empty one), computed the first time a
/// rule asks and kept while the unit is checked.
pub struct Semantic<'m> {
    /// The texts of the unit, by `SourceId`: what the rules may quote or locate in.
    pub sources: &'m Sources<'m>,
    /// Resolves the module's expressions.
    pub resolver: Resolver<'m>,
    endpoints: OnceCell<Vec<Endpoint>>,
    hosts: OnceCell<Vec<Host>>,
}

/// The module of a unit that has none (a policy file, a plan's own checks).
static NO_MODULE: LazyLock<Module> = LazyLock::new(Module::default);

impl<'m> Semantic<'m> {
    /// The meaning of `module` (or of an empty module), with the unit's texts.
    pub fn new(module: Option<&'m Module>, sources: &'m Sources<'m>) -> Semantic<'m> {
        let module = module.unwrap_or(&NO_MODULE);
        Semantic { sources, resolver: Resolver::new(module), endpoints: OnceCell::new(), hosts: OnceCell::new() }
    }

    /// The module.
    pub fn module(&self) -> &'m Module {
        self.resolver.module()
    }

    /// Every EKS cluster endpoint the module declares.
    pub fn endpoints(&self) -> &[Endpoint] {
        self.endpoints.get_or_init(|| endpoints::endpoints(&self.resolver))
    }

    /// Everything in the module that runs EC2 instances.
    pub fn hosts(&self) -> &[Host] {
        self.hosts.get_or_init(|| hosts::hosts(&self.resolver))
    }
}
