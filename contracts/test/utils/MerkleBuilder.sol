// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice Builds OpenZeppelin StandardMerkleTree trees (unsorted leaves) in their array layout, for tests.
/// @dev Layout: a tree of `n` leaves is an array of `2n - 1` nodes; leaf `i` sits at index `2n - 2 - i`;
/// node `k` is `commutativeKeccak256(node[2k + 1], node[2k + 2])`; the root is node 0.
library MerkleBuilder {
    /// @dev StandardMerkleTree leaf of the single value `(bytes32 value)`.
    function leaf(bytes32 value) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(value))));
    }

    /// @dev Builds the tree over the leaves of `values`, in the given order.
    function build(bytes32[] memory values) internal pure returns (bytes32[] memory tree) {
        uint256 n = values.length;
        require(n > 0, "MerkleBuilder: no leaves");
        tree = new bytes32[](2 * n - 1);
        for (uint256 i = 0; i < n; ++i) {
            tree[tree.length - 1 - i] = leaf(values[i]);
        }
        for (uint256 k = n - 1; k > 0; --k) {
            uint256 index = k - 1;
            tree[index] = Hashes.commutativeKeccak256(tree[2 * index + 1], tree[2 * index + 2]);
        }
    }

    function root(bytes32[] memory tree) internal pure returns (bytes32) {
        return tree[0];
    }

    /// @dev Proof of the `i`-th leaf (in insertion order) of `tree`.
    function proof(bytes32[] memory tree, uint256 i) internal pure returns (bytes32[] memory path) {
        uint256 n = (tree.length + 1) / 2;
        require(i < n, "MerkleBuilder: leaf out of range");
        uint256 index = tree.length - 1 - i;
        bytes32[] memory buffer = new bytes32[](256);
        uint256 length = 0;
        while (index > 0) {
            uint256 sibling = index % 2 == 1 ? index + 1 : index - 1;
            buffer[length++] = tree[sibling];
            index = (index - 1) / 2;
        }
        path = new bytes32[](length);
        for (uint256 j = 0; j < length; ++j) {
            path[j] = buffer[j];
        }
    }
}
