//! End-to-end tests of the runtime against a scripted server on 127.0.0.1: one test
//! binary (modules below) so the suite links once.

mod errors;
mod example;
mod pagination;
mod retries;
mod streaming;
mod support;
mod uploads;
mod wire;
